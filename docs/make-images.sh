#!/usr/bin/env bash
# Regenerate the README pictures from the project's own build (needs poppler-utils;
# LibreOffice for the Word page).
set -euo pipefail
cd "$(dirname "$0")/.."
briefgen build --topic border-security --audience executive,policy
pdftoppm -png -r 60 -f 1 -l 1 build/border-security/executive.pdf docs/images/cover
pdftoppm -png -r 60 -f 2 -l 2 build/border-security/executive.pdf docs/images/executive-body
pdftoppm -png -r 60 -f 6 -l 6 build/border-security/policy.pdf docs/images/policy-page
briefgen build --topic border-security --audience policy --format pdf --theme field --output build/.field
pdftoppm -png -r 60 -f 1 -l 1 build/.field/border-security/policy.pdf docs/images/field-cover
pdftoppm -png -r 60 -f 3 -l 3 build/.field/border-security/policy.pdf docs/images/field-page
if command -v soffice >/dev/null; then
  # The Word files as LibreOffice draws them (the field theme's too), beside the PDFs.
  briefgen build --topic border-security --audience policy --format pdf,docx --theme field --output build/.field
  tmp=$(mktemp -d)
  cp build/.field/border-security/policy.docx "$tmp/field-policy.docx"
  soffice "-env:UserInstallation=file://$tmp/profile" --headless --convert-to pdf --outdir "$tmp" \
    build/border-security/policy.docx "$tmp/field-policy.docx" >/dev/null
  pdftoppm -png -r 60 -f 3 -l 3 "$tmp/policy.pdf" docs/images/policy-docx-page
  pdftoppm -png -r 60 -f 1 -l 2 "$tmp/policy.pdf" docs/images/docx
  pdftoppm -png -r 60 -f 1 -l 1 "$tmp/field-policy.pdf" docs/images/field-docx-cover
  rm -rf "$tmp"
fi
if command -v chromium >/dev/null; then
  # The HTML briefing as a browser shows it (the top of the page, at a laptop's width).
  briefgen build --topic border-security --audience policy --format html
  profile=$(mktemp -d)
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    "--user-data-dir=$profile" --window-size=1000,1300 \
    "--screenshot=$PWD/docs/images/html-policy.png" "file://$PWD/build/border-security/policy.html" 2>/dev/null
  rm -rf "$profile"
fi
ls -1 docs/images
