# Sourced by scripts/demo and scripts/test: make .venv (Python >= 3.11) and install wushe into it.
# Usage: ensure_venv EXTRAS   (EXTRAS is "" or "[test]")

find_python() {
    local candidate
    for candidate in python3.11 python3.12 python3.13 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    echo "wushe needs Python 3.11 or later (python3.11 or python3); none found" >&2
    return 1
}

ensure_venv() {
    local extras="$1" python stamp wanted
    if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys' 2>/dev/null; then
        python="$(find_python)" || return 1
        echo "creating .venv with $("$python" --version)"
        rm -rf .venv
        if ! "$python" -m venv .venv; then
            echo "could not create .venv: on Debian, apt-get install python3-venv" >&2
            return 1
        fi
    fi
    # Editable install: code changes need no reinstall; pyproject.toml changes do.
    stamp=".venv/.wushe-installed"
    wanted="$(sha256sum pyproject.toml | cut -d' ' -f1) ${extras:-[]}"
    if [ ! -f "$stamp" ] || ! grep -qxF "$wanted" "$stamp"; then
        echo "installing wushe${extras} into .venv (quietly)"
        .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extras}" ||
            return 1
        echo "$wanted" >>"$stamp"
    fi
}
