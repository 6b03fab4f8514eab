"""The band's styles, one file of data each (`apps.jazz.band.style.Style`): `--style NAME`
plays `NAME.py`. To add a style, add a file here that defines `STYLE`."""
