#!/usr/bin/env bash
# Print the path of a Python 3.10 interpreter: $PYTHON310, then pyenv's 3.10.x, then PATH.
# Rasa Open Source 3.6 runs only on Python <= 3.10.
set -euo pipefail
candidates=()
[ -n "${PYTHON310:-}" ] && candidates+=("$PYTHON310")
if command -v pyenv >/dev/null 2>&1; then
  for v in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.10(\.|$)' | sort -rV); do
    candidates+=("$(pyenv prefix "$v")/bin/python3.10")
  done
fi
candidates+=(python3.10 /usr/bin/python3.10 /usr/local/bin/python3.10)
for c in "${candidates[@]}"; do
  if path=$(command -v "$c" 2>/dev/null) && "$path" -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then
    echo "$path"
    exit 0
  fi
done
echo "error: Python 3.10 not found (Rasa 3.6 needs it). Install it, e.g. 'pyenv install 3.10.13'," >&2
echo "       or point PYTHON310=/path/to/python3.10 at one." >&2
exit 1
