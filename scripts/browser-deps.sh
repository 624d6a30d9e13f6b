#!/usr/bin/env bash
# Install Debian's chromium and CJK fonts for the browser tests, and HAProxy for the multi-process deployment test
# (tests/browser/test_deploy.py), when missing and running as root. Not nginx: Debian's nginx package starts a
# web server on port 80 at install; its half of that test runs wherever nginx is already installed.
set -u
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list :lang=zh 2>/dev/null | grep -q CJK || missing+=(fonts-noto-cjk)
[ -x /usr/sbin/haproxy ] || missing+=(haproxy)
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
