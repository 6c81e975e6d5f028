"""Machine details recorded beside every benchmark: the machine is shared, so load and threads matter.

Measured on this 2-core machine: torch with 2 intra-op threads under load is about 10x slower than with 1, so
every result states the torch thread setting and the load average when it started.
"""

from __future__ import annotations

import importlib.metadata
import os
import platform
from pathlib import Path

LIBRARIES = ("torch", "chromadb", "gradio", "gradio_client", "sentence-transformers", "transformers", "numpy")
# Two machines here both name themselves "AMD EPYC" yet differ by 1.3x in the same benchmark: the clock and the
# vector extensions that matrix kernels use tell them apart.
VECTOR_FLAGS = ("avx2", "avx512f", "avx512_vnni", "avx512_bf16", "amx_bf16")


def first_processor() -> dict[str, str]:
    """The first processor's fields in /proc/cpuinfo, read once (empty off Linux)."""
    cpuinfo = Path("/proc/cpuinfo")
    fields: dict[str, str] = {}
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if not line.strip():
                break
            name, _, value = line.partition(":")
            fields[name.strip()] = value.strip()
    return fields


def cpu_model() -> str:
    """The model name, clock and vector extensions, e.g. "AMD EPYC, 2596 MHz, avx2/avx512f"."""
    fields = first_processor()
    model = fields.get("model name") or platform.processor() or "unknown"
    megahertz = fields.get("cpu MHz")
    flags = set(fields.get("flags", "").split())
    extensions = "/".join(flag for flag in VECTOR_FLAGS if flag in flags)
    return ", ".join(part for part in (model, megahertz and f"{float(megahertz):.0f} MHz", extensions) if part)


def versions() -> dict[str, str]:
    found = {}
    for name in LIBRARIES:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = "absent"
    return found


def machine(torch_threads: int | None = None) -> dict:
    """CPU, cores, 1/5/15-minute load averages now, torch threads (as set, or torch's current) and versions."""
    if torch_threads is None:
        import torch

        torch_threads = torch.get_num_threads()
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "load_average_at_start": [round(value, 2) for value in os.getloadavg()],
        "torch_threads": torch_threads,
        "python": platform.python_version(),
        "versions": versions(),
    }


def machine_markdown(details: dict) -> str:
    load = ", ".join(str(value) for value in details["load_average_at_start"])
    libraries = ", ".join(f"{name} {version}" for name, version in details["versions"].items())
    return (
        f"Machine: {details['cpu']}, {details['cores']} cores, shared with other engineers' work "
        f"(load average 1/5/15 min at start: {load}); torch threads: {details['torch_threads']}; "
        f"Python {details['python']}; {libraries}."
    )
