"""Give the C heap's freed memory back to the operating system.

Chroma's Rust core answers a page of records from its own worker threads, and glibc's allocator keeps what each
thread freed in that thread's arena instead of returning it: reading 20k records page by page left 390 MB resident
where 175 MB were in use (bench/results/app-100k.md). `malloc_trim` returns the free pages; elsewhere than glibc
(macOS, musl) there is nothing to call and the memory simply stays with the allocator.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache


@cache
def _malloc_trim():
    name = ctypes.util.find_library("c")
    library = ctypes.CDLL(name) if name else None
    return getattr(library, "malloc_trim", None)


def release_freed_memory() -> bool:
    """Return the heap's free pages to the system; False where the C library has no `malloc_trim`."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
