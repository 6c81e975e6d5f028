"""WhisperLite Chat: `python app.py` serves the built-in demo at http://127.0.0.1:7860 (on a Space, 0.0.0.0:7860).

Everything happens in `chat/serve/launch.py` (settings -> build the stores and the model -> launch Gradio), which
`whisperlite serve` calls too.
"""

from chat.serve.launch import main

if __name__ == "__main__":
    main()
