"""JSON Schemas of the content files and of sources.yaml, generated from the pydantic models,
so that editors (VS Code's YAML extension, via the `# yaml-language-server: $schema=` line at
the top of each file) autocomplete keys and underline mistakes while people type.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from report.project.schema import SOURCES, Section, Settings

# file name → (the files it describes, their model: a class, or the TypeAdapter of sources.yaml)
SCHEMAS: dict[str, tuple[str, Any]] = {
    "report.schema.json": ("content/report.yaml", Settings),
    "section.schema.json": ("content/sections/*.yaml", Section),
    "sources.schema.json": ("sources.yaml", SOURCES),
}


def schema_of(model: Any) -> dict[str, Any]:
    if model is SOURCES:
        return SOURCES.json_schema(by_alias=True)
    return model.model_json_schema(by_alias=True)  # type: ignore[no-any-return]


def generate() -> dict[str, str]:
    """File name → JSON text of each schema."""
    out = {}
    for name, (pattern, model) in SCHEMAS.items():
        schema = schema_of(model)
        # draft 2020-12, using only keywords draft 7 has: VS Code's YAML extension reads 7
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema.setdefault("title", name.removesuffix(".schema.json"))
        schema["description"] = f"The shape of {pattern} in a report project."
        out[name] = json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    return out


def write(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in generate().items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written
