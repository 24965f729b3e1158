#!/bin/sh
# ensure-debian-package.sh COMMAND PACKAGE WHAT-IF-MISSING
# Say where COMMAND is; otherwise install Debian's PACKAGE with apt when we are root,
# otherwise say what goes without it (make test and make grade go on either way).
command="$1" package="$2" missing="$3"
if command -v "$command" >/dev/null 2>&1; then
  echo "$package: $(command -v "$command")"
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's $package"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null
else
  echo "$package not installed and apt-get not usable here: $missing"
fi
