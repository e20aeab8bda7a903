# repogen_lib.sh - running rpki-repogen and the two peer validators on
# what it writes, offline; sourced after lib.sh by the rpki-repogen tests.
#
# How each peer finds a repository without a network (found by
# experiment, see tests/repogen/README.md):
#   rpki-client -n reads the rsync tree from CACHEDIR/<host>/<module>/...
#     and the TA certificate of TAL NAME.tal from CACHEDIR/ta/NAME/<file>;
#     it drops privileges to _rpki-client, so it must start as root.
#   fort --work-offline reads both URIs of the TAL and every rsync URI
#     from LOCAL-REPOSITORY/<host>/<path>: DIR/rsync as it is.
# Both run on copies in throwaway directories, bounded by timeout(1).

GEN_BIN="$BIN_DIR/../tests/repogen/rpki-repogen"
# The key pool is kept between runs (tests/repogen/keypool.h): the first
# run on a machine makes its keys, later ones reuse them.
KEYS="${XDG_CACHE_HOME:-${HOME:-$WORK}/.cache}/rpki-repogen/rsa2048.pem"
RPKI_CLIENT=$(command -v rpki-client || echo /usr/sbin/rpki-client)
FORT=$(command -v fort || echo /usr/bin/fort)

GEN() { "$GEN_BIN" -keys "$KEYS" "$@"; }

# rc_usable - 0 if rpki-client can run here; otherwise says why (a
# not_ok when it is missing, a skip note when we are not root).
rc_usable() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "# skipped rpki-client: it must start as root to drop to _rpki-client"
		return 1
	elif ! [ -x "$RPKI_CLIENT" ] || ! id _rpki-client >/dev/null 2>&1; then
		not_ok "rpki-client or user _rpki-client missing: run scripts/install-deps.sh"
		return 1
	fi
	chmod 711 "$WORK"
}

# rc_run REPO NAME - rpki-client -n on a copy of REPO; its output in
# $WORK/NAME-out (csv, json), its exit status returned.
rc_run() {
	local repo=$1 name=$2 t tals=()
	rm -rf "$WORK/$name-cache" "$WORK/$name-out"
	mkdir -p "$WORK/$name-cache" "$WORK/$name-out"
	cp -a "$repo/rsync/." "$WORK/$name-cache/"
	for t in "$repo"/tals/*.tal; do
		t=$(basename "$t" .tal)
		mkdir -p "$WORK/$name-cache/ta/$t"
		cp "$repo/rsync/rpki.$t.test/ta/$t.cer" "$WORK/$name-cache/ta/$t/"
		tals+=(-t "$repo/tals/$t.tal")
	done
	chown -R _rpki-client "$WORK/$name-cache" "$WORK/$name-out"
	(cd "$WORK" && timeout 300 "$RPKI_CLIENT" -n -j -c "${tals[@]}" \
	    -d "$WORK/$name-cache" "$WORK/$name-out")
}

# fort_run REPO NAME - FORT --work-offline on a copy of REPO; VRPs in
# $WORK/NAME-roas.json, router keys in $WORK/NAME-keys.json, warnings
# and errors on standard output; its exit status returned.
fort_run() {
	local repo=$1 name=$2
	rm -rf "$WORK/$name-repo"
	cp -a "$repo/rsync" "$WORK/$name-repo"
	timeout 300 "$FORT" --mode=standalone --tal="$repo/tals" \
	    --local-repository="$WORK/$name-repo" --work-offline=true \
	    --output.format=json --output.roa="$WORK/$name-roas.json" \
	    --output.bgpsec="$WORK/$name-keys.json" --log.output=console \
	    --log.level=warning --validation-log.enabled=true \
	    --validation-log.output=console --validation-log.level=warning
}
