#!/usr/bin/env bash
# Install Debian's chromium and CJK fonts for the browser tests when missing and running as root.
set -u
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list :lang=zh 2>/dev/null | grep -q CJK || missing+=(fonts-noto-cjk)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "browser tests will be skipped: ${missing[*]} not installed and not running as root (sudo apt-get install ${missing[*]})"
  exit 0
fi
echo "installing ${missing[*]} for the browser tests (apt-get)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null && apt-get install -y -qq "${missing[@]}" >/dev/null \
  || echo "apt-get could not install ${missing[*]}: browser tests will be skipped"
exit 0
