"""Spreadsheets (openpyxl): a checklist or a review as a workbook for stakeholders
(`orr.sheet.export`), an authoring template (`orr.sheet.template`), a filled workbook back to
checklist TOML (`orr.sheet.importer`), and mitigation edits merged back into a review
(`orr.sheet.merge`). Import the submodules; this package imports nothing heavy."""
