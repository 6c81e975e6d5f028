"""Whether a message is written in another language than English, so that no search runs on foreign words read
as English ("une robe rouge pas chère" would otherwise search for "une robe rouge pas chère" as English words).

Function-word scoring over a few languages shoppers write in: a message is foreign when at least
`MIN_FOREIGN_WORDS` of its words are common words of one language (articles, prepositions, "I am looking for",
colours, garments, "cheap") and they outnumber its English function words. The lists leave out every word that
English shoppers use too ("robe", "chic", "lingerie", "chemise", "gilet", "petite", "noir", "rouge", "per",
"con", "no"), so a fashion loanword never makes English foreign. A maintained detector was measured first
(lingua, restricted to seven languages): on short English it misfires (8 of 51 scripted messages, 1,038 of 36,000
Fashion IQ captions: "puffier", "is strapless", "a top"), so it is not used. Pure: text in, answer out.
"""

from __future__ import annotations

import re
import unicodedata

MIN_FOREIGN_WORDS = 2

_LEXICONS: dict[str, frozenset[str]] = {
    name: frozenset(words.split())
    for name, words in {
        "French": (
            "une un le la les de des du au aux et pour avec pas très moins je j'aimerais cherche veux voudrais "
            "chère cher chères chers bon marché pantalon pantalons jupe jupes chaussures sac veste manteau chapeau "
            "bleu bleue blanc blanche vert verte jaune noire rouges gris grise violette marron foncé clair "
            "s'il plaît merci bonjour quelque chose homme hommes femme femmes soirée"
        ),
        "German": (
            "ein eine einen einem einer der das den dem und mit für ohne nicht sehr ich suche möchte brauche bitte "
            "kleid kleider schuhe jacke hemd tasche hose mantel rotes rote roter roten schwarz schwarze schwarzes "
            "schwarzen blau blaue blaues blauen weiß weiss weiße weisse grün grüne gelb gelbe günstig billig "
            "teuer unter danke etwas damen herren"
        ),
        "Spanish": (
            "un una unos unas el los las de del y para muy quiero busco necesito barato barata baratos baratas "
            "vestido vestidos zapatos camisa falda pantalones chaqueta bolso abrigo rojo roja rojos negro negra "
            "negros azul blanco blanca verde amarillo amarilla gris marrón por favor gracias hola algo menos más"
            " mujer hombre"
        ),
        "Italian": (
            "un una uno il gli della dello delle dei degli e senza molto voglio cerco vorrei economico "
            "economica economici vestito vestiti scarpe gonna borsa camicia giacca cappotto pantaloni rosso rossa "
            "rossi nero nera neri bianco bianca bianchi verde giallo gialla grigio marrone grazie ciao qualcosa"
            " meno donna uomo"
        ),
    }.items()
}
_ENGLISH = frozenset(
    "a an the and or but with without for in on of to from under over is are it this that i me my want need "
    "looking like something some dress dresses top shirt shoes bag jacket skirt trousers pants red black blue "
    "white green pink cheap cheaper please more less not no".split()
)
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def foreign_language(text: str) -> str | None:
    """The language a message is written in when it is not English ("French"), else None; ties and doubt are
    English, so a misread costs a shopper nothing."""
    words = _WORD.findall(unicodedata.normalize("NFC", text).lower())
    english = sum(word in _ENGLISH for word in words)
    scores = {name: sum(word in lexicon for word in words) for name, lexicon in _LEXICONS.items()}
    best = max(scores, key=lambda name: scores[name])
    if scores[best] >= MIN_FOREIGN_WORDS and scores[best] > english:
        return best
    return None
