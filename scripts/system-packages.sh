#!/usr/bin/env bash
# What the browser tests need from the system: Debian's chromium, and CJK fonts so that
# screenshots show Chinese instead of boxes. Installed through apt when we are root on
# Debian; anywhere else we say exactly what to install and stop.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
if ! { command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh | grep -qi "noto"; }; then
  missing+=(fonts-noto-cjk)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "安装系统软件包 / installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" fontconfig >/dev/null
  exit 0
fi

echo "缺少系统软件包：${missing[*]}" >&2
echo "Missing system packages: ${missing[*]}. On Debian/Ubuntu run as root:" >&2
echo "    apt-get install chromium fonts-noto-cjk" >&2
echo "Elsewhere install Chromium at /usr/bin/chromium (or set ZHUNRU_CHROMIUM) and the Noto CJK fonts." >&2
exit 1
