#!/usr/bin/env bash
# Build the per-machine MSI from a built bundle with wixl (Debian: apt-get install wixl).
#
#   installer/windows/build-msi.sh BUNDLE_DIR DISTRICT_DIR VERSION OUT.msi
#
# BUNDLE_DIR: the Windows one-folder bundle (dist/counter-app, built on Windows
# by installer/build.sh). DISTRICT_DIR: the district's public key(s) *.pub.pem,
# update-root.json and update-url.txt, installed into district-keys\.
# With WiX 3 on Windows the same counter-app.wxs builds with heat/candle/light.
set -euo pipefail
bundle=${1:?bundle folder} district=${2:?district folder} version=${3:?version} out=${4:?out.msi}
here=$(cd "$(dirname "$0")" && pwd)
abs() { (cd "$(dirname "$1")" && echo "$(pwd)/$(basename "$1")"); }
bundle=$(abs "$bundle") district=$(abs "$district") out=$(abs "$out")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# wixl wants file sources relative to the folder it runs in: link both folders there.
ln -s "$bundle" "$work/bundle"
ln -s "$district" "$work/district"
cd "$work"
(cd bundle && find . -type f | sed 's|^\./||' | sort) | sed "s|^|bundle/|" \
    | wixl-heat -p "bundle/" --component-group CG.Bundle --var var.BundleDir \
        --directory-ref INSTALLDIR --win64 > bundle.wxs
(cd district && find . -type f | sed 's|^\./||' | sort) | sed "s|^|district/|" \
    | wixl-heat -p "district/" --component-group CG.District --var var.DistrictDir \
        --directory-ref DISTRICTDIR --win64 > district.wxs
wixl -a x64 -D Win64=yes -D "Version=$version" -D BundleDir=bundle -D DistrictDir=district \
    "$here/counter-app.wxs" bundle.wxs district.wxs -o "$out"
echo "$out"
