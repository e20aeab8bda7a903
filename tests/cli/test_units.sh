#!/usr/bin/env bash
# The systemd units and default files of rtrcache (rtrcache/dist/) and
# rpki-validator (validator/dist/), checked without starting anything
# (systemd need not be running):
#   - systemd-analyze verify accepts every unit, copied with its ExecStart
#     pointed at the built binary; any message naming one of the units
#     fails (verify exits 0 on an unknown key or a bad value, so its
#     output is read, not only its status);
#   - every Documentation=man: page is one of the tree's man pages;
#   - every flag the units and default files name, command lines and
#     comments alike, is one the program's -h lists; and each unit's
#     command line, its $VARIABLES expanded from the default file as
#     systemd expands them, parses: run with -h appended, it exits 0
#     with the usage;
#   - signals as the man pages say: a long-running unit's ExecReload
#     sends SIGHUP (rtrcache polls now, rpki-validator validates now) and
#     its KillSignal is SIGTERM (both stop cleanly, exit 0); the oneoff
#     unit has no ExecReload (SIGHUP is handled only in server mode);
#   - rpki-validator's units: -mode matches the unit's Type, -sync on
#     (fetching over RRDP and rsync), the cache and the kept copies under a
#     StateDirectory, every output under a directory the unit makes
#     writable (ProtectSystem=strict), -output.roa where other users can
#     read it, and the signing key read from a LoadCredential= copy.
. "$(dirname "$0")/lib.sh"
export LC_ALL=C
cd "$WORK" || exit 1

VAL=$VALIDATOR_BIN_DIR/rpki-validator
RTR=$RTR_BIN_DIR/rtrcache
SA=$(command -v systemd-analyze) || SA=
CRED=$WORK/credentials	# stands for %d, the credentials directory
U=$WORK/units		# the units as verified, ExecStart rewritten

for b in "$VAL" "$RTR"; do
	if ! [ -x "$b" ]; then
		not_ok "$b not built"
		finish
		exit
	fi
done
if [ -z "$SA" ]; then
	not_ok "systemd-analyze not installed (scripts/install-deps.sh" \
	    "installs Debian's systemd package)"
	finish
	exit
fi

# The files; a unit gone from the tree fails here, one added is checked.
want=(rtrcache/dist/rtrcache.service rtrcache/dist/rtrcache.default
    validator/dist/rpki-validator.service
    validator/dist/rpki-validator-oneoff.service
    validator/dist/rpki-validator-oneoff.timer
    validator/dist/rpki-validator.default)
for f in "${want[@]}"; do
	[ -f "$SOURCE_DIR/$f" ] || not_ok "$f: missing"
done
units=() files=()
for f in "$SOURCE_DIR"/rtrcache/dist/* "$SOURCE_DIR"/validator/dist/*; do
	[ -f "$f" ] || continue
	files+=("$f")
	case $f in
	*.service | *.timer) units+=("$f") ;;
	esac
done

# prog_of FILE - the program a dist file is for; bin_of, man_of PROG.
prog_of() {
	case ${1##*/} in
	rtrcache*) echo rtrcache ;;
	rpki-validator*) echo rpki-validator ;;
	*) echo unknown ;;
	esac
}
bin_of() {
	case $1 in
	rtrcache) echo "$RTR" ;;
	rpki-validator) echo "$VAL" ;;
	esac
}
man_of() {
	case $1 in
	rtrcache) echo "$SOURCE_DIR/rtrcache/rtrcache.8" ;;
	rpki-validator) echo "$SOURCE_DIR/validator/rpki-validator.8" ;;
	esac
}

# kv FILE KEY - the values of KEY= in a unit, one a line.
kv() {
	sed -n "s/^$2=//p" "$1"
}

# --- systemd-analyze verify, on copies running the built binaries -----
mkdir -p "$U" "$CRED"
names=()
for f in "${units[@]}"; do
	names+=("${f##*/}")
done
for f in "${units[@]}"; do
	base=${f##*/}
	prog=$(prog_of "$f")
	bin=$(bin_of "$prog")
	if [ "$prog" = unknown ]; then
		not_ok "$base: which program is it for?"
		continue
	fi
	if grep -q '\\$' "$f"; then
		not_ok "$base: a continued line (this test reads one line per key)"
	fi
	sed "s#^\(Exec[A-Za-z]*=\)/usr/local/bin/$prog #\1$bin #" "$f" \
	    >"$U/$base"
	case $base in
	*.service)
		expect_eq "$(kv "$U/$base" ExecStart | wc -l)" 1 \
		    "$base: one ExecStart"
		expect_grep "$U/$base" "^ExecStart=$bin " \
		    "$base: ExecStart was /usr/local/bin/$prog, now the built one"
		;;
	esac
done
for f in "${units[@]}"; do
	base=${f##*/}
	[ -f "$U/$base" ] || continue
	rc=0
	"$SA" verify --man=no "$U/$base" >"$WORK/verify" 2>&1 || rc=$?
	bad=0
	while IFS= read -r l; do
		for n in "${names[@]}"; do
			case $l in
			*"$n"*) bad=1 ;;
			esac
		done
		echo "#   systemd-analyze: $l"
	done <"$WORK/verify"
	if [ "$rc" -eq 0 ] && [ "$bad" -eq 0 ]; then
		ok "$base: systemd-analyze verify: nothing to say"
	else
		not_ok "$base: systemd-analyze verify: exit $rc, messages above"
	fi
done

# Documentation=man:NAME(SECTION) must be a man page of the tree (verify
# runs with --man=no: man-db need not be installed, and pages installed
# on this machine are not the ones checked out).
for f in "${units[@]}"; do
	base=${f##*/}
	n=0
	for d in $(kv "$f" Documentation); do
		case $d in
		man:*\(*\)) ;;
		*) continue ;;
		esac
		page=${d#man:}
		sec=${page#*\(}
		page=${page%%\(*}.${sec%\)}
		n=$((n + 1))
		if compgen -G "$SOURCE_DIR/*/$page" >/dev/null; then
			ok "$base: Documentation $d is in the tree"
		else
			not_ok "$base: Documentation $d: no $page in the tree"
		fi
	done
	[ "$n" -gt 0 ] || not_ok "$base: no Documentation=man: page"
done

# --- flags ---------------------------------------------------------------
# The flags each program lists with -h, one name a line.
for prog in rtrcache rpki-validator; do
	if "$(bin_of "$prog")" -h >"$WORK/help.$prog" 2>&1; then
		sed -n 's/^  -\([^ ]*\).*/\1/p' "$WORK/help.$prog" \
		    >"$WORK/flags.$prog"
	else
		: >"$WORK/flags.$prog"
	fi
	if [ "$(wc -l <"$WORK/flags.$prog")" -ge 10 ] &&
	    grep -qx cache "$WORK/flags.$prog"; then
		ok "$prog -h lists $(wc -l <"$WORK/flags.$prog") flags"
	else
		not_ok "$prog -h: want its flags listed, have:"
		sed 's/^/#   /' "$WORK/help.$prog" | head -10
	fi
done

# Every flag a dist file names, anywhere: a word starting with - or --
# and a lower-case letter, after a blank, a quote or "(".  What systemctl
# takes (--now) is not the program's: a line's text from "systemctl" on
# is left out.
for f in "${files[@]}"; do
	base=${f##*/}
	prog=$(prog_of "$f")
	[ "$prog" = unknown ] && continue
	sed 's/systemctl.*//' "$f" |
	    grep -oE '(^|[[:space:]"(])--?[a-z][a-z0-9.-]*' |
	    sed -E 's/^[[:space:]"(]*-+//; s/\.+$//' | sort -u >"$WORK/named"
	unknown=$(grep -vxF -f "$WORK/flags.$prog" "$WORK/named" | tr '\n' ' ')
	n=$(wc -l <"$WORK/named")
	if [ "$n" -eq 0 ]; then
		ok "$base: names no flag"
	elif [ -z "$unknown" ]; then
		ok "$base: all $n flags it names are $prog's"
	else
		not_ok "$base: not flags of $prog -h: $unknown"
	fi
done

# expand UNIT - ExecStart's arguments after the program, into args[], as
# systemd makes them: %d the credentials directory, $VAR split on blanks,
# ${VAR} one word, the variables from the EnvironmentFile, which is
# /etc/default/NAME installed from dist/NAME.default.  Returns 1 (and says
# why) when it cannot.
expand() {
	local unit=$1 base=${1##*/} line envf def l w v
	local -A env=()
	args=()
	line=$(kv "$unit" ExecStart)
	if [[ $line == *[\"\'\\]* ]]; then
		not_ok "$base: ExecStart has quotes or escapes; this test" \
		    "splits on blanks only"
		return 1
	fi
	for envf in $(kv "$unit" EnvironmentFile); do
		def=$(dirname "$unit")/$(basename "${envf#-}").default
		if ! [ -f "$def" ]; then
			not_ok "$base: EnvironmentFile $envf: no $def"
			return 1
		fi
		while IFS= read -r l; do
			[[ $l =~ ^([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || continue
			w=${BASH_REMATCH[1]}
			v=${BASH_REMATCH[2]}
			[[ $v =~ ^\"(.*)\"$ ]] && v=${BASH_REMATCH[1]}
			env[$w]=$v
		done <"$def"
	done
	read -ra words <<<"$line"
	for w in "${words[@]:1}"; do
		if [[ $w =~ ^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$ ||
		    $w =~ ^\$([A-Za-z_][A-Za-z0-9_]*)$ ]]; then
			v=${BASH_REMATCH[1]}
			if [ -z "${env[$v]+set}" ]; then
				not_ok "$base: ExecStart uses \$$v, which its" \
				    "default file does not set"
				return 1
			fi
			if [[ $w == '${'* ]]; then
				args+=("${env[$v]}")
			else
				read -ra vs <<<"${env[$v]}"
				args+=("${vs[@]}")
			fi
		elif [[ $w == *'$'* ]]; then
			not_ok "$base: ExecStart word $w: not a plain \$VAR"
			return 1
		else
			args+=("${w//%d/$CRED}")
		fi
	done
}

# flagval NAME DEFAULT - the value args[] give flag NAME, the last one
# given as the program takes it; booleans as -NAME (true) or -NAME=V.
flagval() {
	local name=$1 v=$2 i
	for ((i = 0; i < ${#args[@]}; i++)); do
		case ${args[i]} in
		-"$name" | --"$name")
			if grep -q "^  -$name\$" "$WORK/help.$prog"; then
				v=true	# a boolean: -h prints no type for it
			else
				v=${args[i + 1]-}
			fi
			;;
		-"$name"=* | --"$name"=*) v=${args[i]#*=} ;;
		esac
	done
	echo "$v"
}

# under PATH ROOT... - 0 if PATH is one of ROOTs or below one.
under() {
	local p=$1 r
	shift
	for r in "$@"; do
		case $p in
		"$r" | "$r"/*) return 0 ;;
		esac
	done
	return 1
}

# --- each service: its command line, signals, directories -----------------
# flat MAN - the page on one line, \- as -; man_says RE DESC - it matches.
flat() {
	tr '\n' ' ' <"$1" | sed 's/\\-/-/g'
}
man_says() {
	if grep -Eq -- "$1" "$WORK/man"; then
		ok "$2"
	else
		not_ok "$2: no match for /$1/ in ${man##*/}"
	fi
}
declare -A man_hup=(
	[rtrcache]='SIGHUP Poll now'
	[rpki-validator]='and at once on SIGHUP'
)
declare -A man_term=(
	[rtrcache]='SIGTERM.{0,12}SIGINT Close every session and exit 0'
	[rpki-validator]='SIGTERM and SIGINT stop the server:.{0,300}exit status is 0'
)
for f in "${units[@]}"; do
	case $f in
	*.service) ;;
	*) continue ;;
	esac
	base=${f##*/}
	prog=$(prog_of "$f")
	bin=$(bin_of "$prog")
	man=$(man_of "$prog")
	type=$(kv "$f" Type)
	type=${type:-simple}

	expanded=0
	if expand "$f"; then
		expanded=1
		expect_rc 0 "$base: its command line parses: $prog ${args[*]} -h" \
		    timeout 10 "$bin" "${args[@]}" -h &&
		    expect_grep "$WORK/out" "^Usage of $prog:" \
			"$base: ... and $prog printed its usage, ran nothing"
	fi

	# Signals.  KillSignal unset is systemd's default, SIGTERM.
	kill=$(kv "$f" KillSignal)
	case ${kill:-SIGTERM} in
	SIGTERM | TERM | 15) ok "$base: KillSignal is SIGTERM" ;;
	*) not_ok "$base: KillSignal=$kill: $prog stops cleanly on SIGTERM" ;;
	esac
	reload=$(kv "$f" ExecReload)
	if [ "$type" = oneshot ]; then
		expect_eq "$reload" "" "$base: oneshot, no ExecReload (SIGHUP is handled only by a server)"
	elif [[ $reload =~ ^/bin/kill\ (-HUP|-SIGHUP|-s\ HUP|-s\ SIGHUP)\ \$MAINPID$ ]]; then
		ok "$base: ExecReload sends SIGHUP to the main process"
	else
		not_ok "$base: ExecReload='$reload': want /bin/kill -HUP \$MAINPID"
	fi
	if [ "$type" != oneshot ]; then
		flat "$man" >"$WORK/man"
		man_says "${man_hup[$prog]}" \
		    "$base: ${man##*/} says SIGHUP validates or polls now"
		man_says "${man_term[$prog]}" \
		    "$base: ${man##*/} says SIGTERM stops it, exit 0"
	fi

	# What the command line says, once it could be read.
	[ "$prog" = rpki-validator ] && [ "$expanded" -eq 1 ] || continue
	mode=$(flagval mode server)
	if [ "$type" = oneshot ]; then
		expect_eq "$mode" oneoff "$base: oneshot runs -mode oneoff"
	else
		expect_eq "$mode" server "$base: Type=$type runs -mode server"
	fi
	expect_eq "$(flagval sync true)" true \
	    "$base: -sync on: it fetches the repositories (RRDP, rsync)"
	expect_eq "$(flagval rrdp true)" true \
	    "$base: -rrdp on: RRDP where a CA publishes a notification file"

	# Where it may write: ProtectSystem=strict leaves only these.
	state=() rw=() run=()
	for d in $(kv "$f" StateDirectory); do
		state+=("/var/lib/$d")
	done
	for d in $(kv "$f" RuntimeDirectory); do
		run+=("/run/$d")
	done
	for d in $(kv "$f" ReadWritePaths); do
		rw+=("${d#-}")
	done
	expect_eq "$(kv "$f" ProtectSystem)" strict "$base: ProtectSystem=strict"
	expect_eq "$(kv "$f" DynamicUser)" yes "$base: DynamicUser=yes"
	for fl in cache cache.valid; do
		v=$(flagval "$fl" "")
		if [ -n "$v" ] && under "$v" "${state[@]}"; then
			ok "$base: -$fl $v is a StateDirectory"
		else
			not_ok "$base: -$fl '$v': not under a StateDirectory" \
			    "(${state[*]})"
		fi
	done
	for fl in output.roa output.csv output.rpki-client output.summary; do
		v=$(flagval "$fl" "")
		[ -z "$v" ] && [ "$fl" != output.roa ] && continue
		if under "$v" "${state[@]}" "${run[@]}" "${rw[@]}"; then
			ok "$base: -$fl $v is writable"
		else
			not_ok "$base: -$fl '$v': not under a directory the" \
			    "unit makes writable"
		fi
	done
	v=$(flagval output.roa "")
	mode_rt=$(kv "$f" RuntimeDirectoryMode)
	if under "$v" "${run[@]}" && [[ $mode_rt =~ [57]$ ]]; then
		ok "$base: -output.roa in a RuntimeDirectory of mode $mode_rt:" \
		    "a web server can read it"
	else
		not_ok "$base: -output.roa '$v' (RuntimeDirectory ${run[*]}" \
		    "mode '$mode_rt'): want it where other users can read it"
	fi
	v=$(flagval output.sign.key "")
	ids=$(kv "$f" LoadCredential | sed 's/:.*//')
	if [[ $v == "$CRED"/* ]] && grep -qxF "${v#"$CRED"/}" <<<"$ids"; then
		ok "$base: -output.sign.key is the LoadCredential copy"
	else
		not_ok "$base: -output.sign.key '$v': want %d/ID of a" \
		    "LoadCredential= (the dynamic user cannot read /etc/rpki)"
	fi
done

finish
