"""The Well-Architected custom lens: export a checklist to lens JSON, validate any lens JSON, and
import a lens back into checklist TOML, losslessly.

- `orr.lens.export`: `build_lens`, `lens_json`, `export_lens` (validated before writing).
- `orr.lens.validate`: `validate_lens_document`, `validate_lens_text`, `LensProblem`.
- `orr.lens.importer`: `import_lens`, `import_lens_text`, `write_checklist`.
- `orr.lens.format`: the keys and limits of the format.
"""
