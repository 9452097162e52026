#!/usr/bin/env bash
# Times `smime`, `openssl cms` and MimeKit's own S/MIME (bench/MimeKitPeer) on sign, verify,
# encrypt and decrypt of messages of 1 KB, 10 MB and 100 MB, and prints a markdown table of
# wall time, peak memory (max RSS) and ratios. See bench/README.md.
#
#   bench/run.sh [--sizes 1k,10m,100m] [--algo-sizes 1k,10m|none] [--runs N] [--runs-large N]
#                [--keep] [--no-build]
#   SMIME=/path/to/smime (or smime.dll) bench/run.sh     # time another smime build
set -uo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$BENCH")
WORK=$BENCH/work
OUT=$BENCH/out

SIZES=1k,10m,100m
ALGO_SIZES=1k,10m # ECDSA, Ed25519, ECDH and X25519 rows (RSA's sizes would take too long)
RUNS_SMALL=3      # best of N for sizes under 100 MB
RUNS_LARGE=2      # best of N for 100 MB and up (keeps a full run near 10 minutes)
KEEP=0
BUILD=1

usage() {
  sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit 2
}

while [[ $# -gt 0 ]]; do
  case $1 in
    --sizes) SIZES=${2:?--sizes needs a list}; shift 2 ;;
    --sizes=*) SIZES=${1#*=}; shift ;;
    --algo-sizes) ALGO_SIZES=${2:?--algo-sizes needs a list or none}; shift 2 ;;
    --algo-sizes=*) ALGO_SIZES=${1#*=}; shift ;;
    --runs) RUNS_SMALL=${2:?}; shift 2 ;;
    --runs-large) RUNS_LARGE=${2:?}; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) usage ;;
    *) echo "run.sh: unknown argument '$1'" >&2; usage ;;
  esac
done

for tool in openssl dotnet /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "run.sh: '$tool' is needed" >&2; exit 2; }
done
if [[ -z ${EPOCHREALTIME:-} ]]; then
  echo "run.sh: needs bash 5 (EPOCHREALTIME)" >&2
  exit 2
fi

mkdir -p "$WORK" "$OUT"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
LOGS=$OUT/logs-$STAMP
mkdir -p "$LOGS"

note() { echo "run.sh: $*" >&2; }

# ---------------------------------------------------------------------------------------------
# Build: smime (unless SMIME points elsewhere) and the MimeKit peer, both in Release.

SMIME_STATE=ok          # ok | "n/a (why)"
if [[ -n ${SMIME:-} ]]; then
  SMIME_BIN=$SMIME
else
  # Published ReadyToRun, as a deployed tool would be: start-up is then not spent in the JIT.
  SMIME_BIN=$WORK/bin/smime/Smime.Cli
  if [[ $BUILD == 1 ]]; then
    note "publishing smime (Release, ReadyToRun)"
    if ! dotnet publish -c Release -r linux-x64 --self-contained false \
        -p:PublishReadyToRun=true -o "$WORK/bin/smime" "$REPO/src/Smime.Cli" -nologo -v q \
        >"$LOGS/build-smime.log" 2>&1; then
      note "smime failed to build (see $LOGS/build-smime.log); its column will say n/a"
      SMIME_STATE="n/a (build failed)"
    fi
  fi
fi
if [[ $SMIME_STATE == ok && ! -e $SMIME_BIN ]]; then
  note "no smime at $SMIME_BIN; its column will say n/a"
  SMIME_STATE="n/a (not found)"
fi
if [[ $SMIME_BIN == *.dll ]]; then
  SMIME_CMD=(dotnet "$SMIME_BIN")
else
  SMIME_CMD=("$SMIME_BIN")
fi
# The skeleton's CLI is a stub that exits 0 and prints nothing; a real one lists its verbs.
if [[ $SMIME_STATE == ok && ! $("${SMIME_CMD[@]}" --help 2>&1) =~ [[:space:]]verify[[:space:]] ]]
then
  note "smime --help lists no 'verify' verb; its column will say n/a"
  SMIME_STATE="n/a (no verbs)"
fi

PEER_BIN=$WORK/bin/mimekit-peer/mimekit-peer
if [[ $BUILD == 1 ]]; then
  note "publishing mimekit-peer (Release, ReadyToRun, like smime)"
  if ! dotnet publish -c Release -r linux-x64 --self-contained false \
      -p:PublishReadyToRun=true -o "$WORK/bin/mimekit-peer" "$BENCH/MimeKitPeer" -nologo -v q \
      >"$LOGS/build-peer.log" 2>&1; then
    note "mimekit-peer failed to build:"
    tail -20 "$LOGS/build-peer.log" >&2
    exit 3
  fi
fi
[[ -x $PEER_BIN ]] || { note "no mimekit-peer at $PEER_BIN"; exit 3; }

# ---------------------------------------------------------------------------------------------
# Throwaway PKI: an RSA-2048 root and a user with an rfc822Name SAN and the emailProtection EKU.
# The root needs keyCertSign: MimeKit only takes self-signed roots with it as trust anchors.

PKI=$WORK/pki
ROOT_PEM=$PKI/root.pem
USER_PEM=$PKI/user.pem
USER_KEY=$PKI/user.key

make_pki() {
  mkdir -p "$PKI"
  openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 \
    -keyout "$PKI/root.key" -out "$ROOT_PEM" -subj "/CN=smime bench root" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "subjectKeyIdentifier=hash" 2>/dev/null || return 1
  openssl req -new -newkey rsa:2048 -nodes -sha256 -keyout "$USER_KEY" \
    -out "$PKI/user.csr" -subj "/CN=Bench User/emailAddress=bench@example.com" \
    2>/dev/null || return 1
  cat >"$PKI/user.ext" <<'EOF'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=emailProtection
subjectAltName=email:bench@example.com
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
EOF
  openssl x509 -req -in "$PKI/user.csr" -CA "$ROOT_PEM" -CAkey "$PKI/root.key" \
    -CAcreateserial -days 3650 -sha256 -extfile "$PKI/user.ext" -out "$USER_PEM" \
    2>/dev/null || return 1
}

if [[ ! -s $USER_PEM || ! -s $USER_KEY || ! -s $ROOT_PEM ]] ||
   ! openssl verify -CAfile "$ROOT_PEM" "$USER_PEM" >/dev/null 2>&1; then
  note "making a throwaway PKI in $PKI"
  rm -rf "$PKI"
  make_pki || { note "could not make the PKI"; exit 3; }
fi

# ---------------------------------------------------------------------------------------------
# Messages: From/To/Subject headers and a body, CRLF line ends, the same bytes every time.
# 1k is text/plain; larger sizes are base64 application/octet-stream of AES-CTR keystream
# (a fixed key, so deterministic and incompressible).

size_bytes() {
  case $1 in
    *k) echo $(( ${1%k} * 1024 )) ;;
    *m) echo $(( ${1%m} * 1024 * 1024 )) ;;
    *g) echo $(( ${1%g} * 1024 * 1024 * 1024 )) ;;
    *) echo "$1" ;;
  esac
}

headers() {  # $1 size label, $2 content type, $3 transfer encoding
  printf 'From: Bench User <bench@example.com>\r\n'
  printf 'To: Bench User <bench@example.com>\r\n'
  printf 'Subject: smime benchmark message (%s)\r\n' "$1"
  printf 'Date: Thu, 01 Jan 2026 00:00:00 +0000\r\n'
  printf 'Message-ID: <bench-%s@example.com>\r\n' "$1"
  printf 'MIME-Version: 1.0\r\n'
  printf 'Content-Type: %s\r\n' "$2"
  printf 'Content-Transfer-Encoding: %s\r\n' "$3"
  printf '\r\n'
}

make_message() {  # $1 size label, $2 path
  local label=$1 path=$2 total head body raw
  total=$(size_bytes "$label")
  if (( total <= 64 * 1024 )); then
    head=$(headers "$label" 'text/plain; charset=us-ascii' 7bit | wc -c)
    {
      headers "$label" 'text/plain; charset=us-ascii' 7bit
      local i=0 written=$head line
      while :; do
        line=$(printf 'Line %05d of the smime benchmark message: the quick brown fox.' "$i")
        (( written + ${#line} + 2 > total )) && break
        printf '%s\r\n' "$line"
        written=$(( written + ${#line} + 2 ))
        i=$(( i + 1 ))
      done
    } >"$path"
  else
    head=$(headers "$label" application/octet-stream base64 | wc -c)
    # 57 raw bytes make one 76-character base64 line, 78 bytes with CRLF.
    raw=$(( (total - head) / 78 * 57 ))
    {
      headers "$label" application/octet-stream base64
      head -c "$raw" /dev/zero |
        openssl enc -aes-128-ctr -nosalt -K 000102030405060708090a0b0c0d0e0f \
          -iv 00000000000000000000000000000000 |
        base64 -w 76 | sed 's/$/\r/'
    } >"$path"
  fi
}

IFS=, read -r -a SIZE_LIST <<<"$SIZES"
TARGET_SIZE=""   # the largest size: the targets and the tamper checks are judged there
for size in "${SIZE_LIST[@]}"; do
  if [[ -z $TARGET_SIZE ]] || (( $(size_bytes "$size") > $(size_bytes "$TARGET_SIZE") )); then
    TARGET_SIZE=$size
  fi
done
for size in "${SIZE_LIST[@]}"; do
  msg=$WORK/msg-$size.eml
  if [[ ! -s $msg ]]; then
    note "generating $msg"
    make_message "$size" "$msg.tmp" && mv "$msg.tmp" "$msg"
  fi
done

# ---------------------------------------------------------------------------------------------
# Running and timing one command.
#
# Wall time: bash's EPOCHREALTIME around the run (microseconds; /usr/bin/time's %e has only
# 10 ms steps, too coarse for 1 KB). Peak memory: /usr/bin/time's %M, the max RSS in KB of the
# process (getrusage). Best of N: the lowest wall time and the highest peak memory seen.

declare -A SECS KB STATUS

is_not_implemented() {  # $1 log stem
  grep -qiE 'not ?implemented|NotImplementedException|unrecognized command|required command|is not a valid|unknown command' \
    "$1.out" "$1.err" 2>/dev/null
}

run_once() {  # $1 log stem, rest: command. Sets RUN_RC, RUN_SECS, RUN_KB.
  local stem=$1; shift
  local t0 t1
  t0=$EPOCHREALTIME
  /usr/bin/time -f "%e %M" -o "$stem.time" "$@" >"$stem.out" 2>"$stem.err"
  RUN_RC=$?
  t1=$EPOCHREALTIME
  RUN_SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  RUN_KB=$(tail -n 1 "$stem.time" | awk '{ print $2 }')
}

# Does the file's first 64 KB hold this text (case-insensitive)? No `head | grep -q`: with
# pipefail, grep quitting early kills head with SIGPIPE and fails the pipeline.
head_has() {
  local text
  text=$(head -c 65536 "$1" | tr -d '\0')
  [[ ${text,,} == *"${2,,}"* ]]
}

tail_has() {
  local text
  text=$(tail -c 16384 "$1" | tr -d '\0')
  [[ $text == *"$2"* ]]
}

# check_output OP OUT IN: the sanity check of one run's output; prints why it failed.
check_output() {
  local op=$1 out=$2 in=$3 marker
  case $op in
    sign|sign-*)
      [[ -s $out ]] || { echo "no output"; return 1; }
      head_has "$out" multipart/signed ||
        { echo "output is not multipart/signed"; return 1; }
      ;;
    verify|verify-*) ;;   # the exit code is the verdict
    encrypt-*)
      [[ -s $out ]] || { echo "no output"; return 1; }
      head_has "$out" pkcs7-mime ||
        { echo "output is not application/pkcs7-mime"; return 1; }
      ;;
    decrypt-*)
      [[ -s $out ]] || { echo "no output"; return 1; }
      # The plaintext must hold the input's last body line and be about as long.
      marker=$(tail -n 1 "$in" | tr -d '\r')
      tail_has "$out" "$marker" ||
        { echo "plaintext lacks the input's last line"; return 1; }
      (( $(stat -c %s "$out") * 10 >= $(stat -c %s "$in") * 9 )) ||
        { echo "plaintext is shorter than the input"; return 1; }
      ;;
  esac
}

# bench SIZE OP TOOL IN OUT -- command...: best of N runs into SECS/KB, or a STATUS word.
bench() {
  local size=$1 op=$2 tool=$3 in=$4 out=$5; shift 6
  local key="$size|$op|$tool" stem="$LOGS/$size-$op-$tool" runs i why
  local best="" peak=0
  runs=$RUNS_SMALL
  (( $(size_bytes "$size") >= 100 * 1024 * 1024 )) && runs=$RUNS_LARGE

  for (( i = 1; i <= runs; i++ )); do
    [[ $out != /dev/null ]] && rm -f "$out"
    run_once "$stem" "$@"
    if [[ $RUN_RC != 0 ]] || ! why=$(check_output "$op" "$out" "$in"); then
      if [[ $RUN_RC != 0 ]]; then why="exit $RUN_RC"; fi
      if [[ $tool == smime ]] && { is_not_implemented "$stem" || [[ $why == "no output" ]]; }
      then
        STATUS[$key]="n/a"
      else
        STATUS[$key]="FAIL"
        note "$tool $op $size failed: $why (logs: $stem.err)"
      fi
      return
    fi
    if [[ -z $best ]] || awk -v a="$RUN_SECS" -v b="$best" 'BEGIN { exit !(a < b) }'; then
      best=$RUN_SECS
    fi
    (( RUN_KB > peak )) && peak=$RUN_KB
  done
  SECS[$key]=$best
  KB[$key]=$peak
  STATUS[$key]=ok
  note "$(printf '%-5s %-12s %-8s %8ss %8s KB' "$size" "$op" "$tool" "$best" "$peak")"
}

skip() { STATUS["$1|$2|$3"]=$4; }

# A verifier that hashed only part of a large message would still pass the 1 KB checks. So at
# the largest size, each tool's own signed message gets its last body line changed (one
# character, near the end of the content), and that tool's verify must refuse it.
TAMPER=()
tamper_check() {  # $1 tool, $2 signed, $3 input message, $4 tampered path, rest: verify command
  local tool=$1 signed=$2 in=$3 bad=$4 marker rc; shift 4
  marker=$(tail -n 1 "$in" | tr -d '\r')
  awk -v m="$marker" '!done && index($0, m) == 1 {
      $0 = (substr($0, 1, 1) == "A" ? "B" : "A") substr($0, 2); done = 1 } { print }' \
    "$signed" >"$bad"
  if cmp -s "$signed" "$bad"; then
    TAMPER+=("| $tool | n/a (the last body line is not in the signed message) |")
  else
    "$@" >"$LOGS/tamper-$tool.out" 2>"$LOGS/tamper-$tool.err"
    rc=$?
    if (( rc != 0 )); then
      TAMPER+=("| $tool | pass (refused, exit $rc) |")
    else
      TAMPER+=("| $tool | **FAIL** (accepted) |")
    fi
  fi
  rm -f "$bad"
}

ok() { [[ ${STATUS["$1|$2|$3"]:-} == ok ]]; }

# ---------------------------------------------------------------------------------------------
# The runs. Each tool verifies and decrypts its own output.

smime() { "${SMIME_CMD[@]}" "$@"; }

for size in "${SIZE_LIST[@]}"; do
  in=$WORK/msg-$size.eml
  dir=$WORK/out/$size
  rm -rf "$dir"
  mkdir -p "$dir"
  note "size $size ($(stat -c %s "$in") bytes)"

  # sign
  if [[ $SMIME_STATE == ok ]]; then
    bench "$size" sign smime "$in" "$dir/smime.signed" -- \
      "${SMIME_CMD[@]}" sign "$in" -o "$dir/smime.signed" --cert "$USER_PEM" --key "$USER_KEY"
  else
    skip "$size" sign smime n/a
  fi
  bench "$size" sign openssl "$in" "$dir/openssl.signed" -- \
    openssl cms -sign -in "$in" -signer "$USER_PEM" -inkey "$USER_KEY" \
      -out "$dir/openssl.signed"
  bench "$size" sign mimekit "$in" "$dir/mimekit.signed" -- \
    "$PEER_BIN" sign "$in" "$dir/mimekit.signed" --cert "$USER_PEM" --key "$USER_KEY"

  # verify
  if ok "$size" sign smime; then
    bench "$size" verify smime "$dir/smime.signed" /dev/null -- \
      "${SMIME_CMD[@]}" verify "$dir/smime.signed" --trust "$ROOT_PEM"
  else
    skip "$size" verify smime "${STATUS["$size|sign|smime"]}"
  fi
  if ok "$size" sign openssl; then
    bench "$size" verify openssl "$dir/openssl.signed" /dev/null -- \
      openssl cms -verify -in "$dir/openssl.signed" -CAfile "$ROOT_PEM" -out /dev/null
  else
    skip "$size" verify openssl "${STATUS["$size|sign|openssl"]}"
  fi
  if ok "$size" sign mimekit; then
    bench "$size" verify mimekit "$dir/mimekit.signed" /dev/null -- \
      "$PEER_BIN" verify "$dir/mimekit.signed" --trust "$ROOT_PEM"
  else
    skip "$size" verify mimekit "${STATUS["$size|sign|mimekit"]}"
  fi
  if [[ $size == "$TARGET_SIZE" ]]; then
    ok "$size" sign smime && tamper_check smime "$dir/smime.signed" "$in" "$dir/bad" \
      "${SMIME_CMD[@]}" verify "$dir/bad" --trust "$ROOT_PEM"
    ok "$size" sign openssl && tamper_check openssl "$dir/openssl.signed" "$in" "$dir/bad" \
      openssl cms -verify -in "$dir/bad" -CAfile "$ROOT_PEM" -out /dev/null
    ok "$size" sign mimekit && tamper_check mimekit "$dir/mimekit.signed" "$in" "$dir/bad" \
      "$PEER_BIN" verify "$dir/bad" --trust "$ROOT_PEM"
  fi
  [[ $KEEP == 1 ]] || rm -f "$dir"/*.signed

  # encrypt: AES-256-GCM (smime's default) and AES-256-CBC; MimeKit has CBC only.
  if [[ $SMIME_STATE == ok ]]; then
    bench "$size" encrypt-gcm smime "$in" "$dir/smime.gcm" -- \
      "${SMIME_CMD[@]}" encrypt "$in" -o "$dir/smime.gcm" --to "$USER_PEM"
    bench "$size" encrypt-cbc smime "$in" "$dir/smime.cbc" -- \
      "${SMIME_CMD[@]}" encrypt "$in" -o "$dir/smime.cbc" --to "$USER_PEM" \
        --cipher aes256-cbc
  else
    skip "$size" encrypt-gcm smime n/a
    skip "$size" encrypt-cbc smime n/a
  fi
  bench "$size" encrypt-gcm openssl "$in" "$dir/openssl.gcm" -- \
    openssl cms -encrypt -aes-256-gcm -in "$in" -out "$dir/openssl.gcm" "$USER_PEM"
  bench "$size" encrypt-cbc openssl "$in" "$dir/openssl.cbc" -- \
    openssl cms -encrypt -aes256 -in "$in" -out "$dir/openssl.cbc" "$USER_PEM"
  skip "$size" encrypt-gcm mimekit "no GCM"
  bench "$size" encrypt-cbc mimekit "$in" "$dir/mimekit.cbc" -- \
    "$PEER_BIN" encrypt "$in" "$dir/mimekit.cbc" --to "$USER_PEM"

  # decrypt
  for mode in gcm cbc; do
    if ok "$size" "encrypt-$mode" smime; then
      bench "$size" "decrypt-$mode" smime "$in" "$dir/smime.$mode.plain" -- \
        "${SMIME_CMD[@]}" decrypt "$dir/smime.$mode" -o "$dir/smime.$mode.plain" \
          --cert "$USER_PEM" --key "$USER_KEY"
    else
      skip "$size" "decrypt-$mode" smime "${STATUS["$size|encrypt-$mode|smime"]}"
    fi
    if ok "$size" "encrypt-$mode" openssl; then
      bench "$size" "decrypt-$mode" openssl "$in" "$dir/openssl.$mode.plain" -- \
        openssl cms -decrypt -in "$dir/openssl.$mode" -recip "$USER_PEM" -inkey "$USER_KEY" \
          -out "$dir/openssl.$mode.plain"
    else
      skip "$size" "decrypt-$mode" openssl "${STATUS["$size|encrypt-$mode|openssl"]}"
    fi
    if ok "$size" "encrypt-$mode" mimekit; then
      bench "$size" "decrypt-$mode" mimekit "$in" "$dir/mimekit.$mode.plain" -- \
        "$PEER_BIN" decrypt "$dir/mimekit.$mode" "$dir/mimekit.$mode.plain" \
          --cert "$USER_PEM" --key "$USER_KEY"
    else
      skip "$size" "decrypt-$mode" mimekit "${STATUS["$size|encrypt-$mode|mimekit"]}"
    fi
  done
  [[ $KEEP == 1 ]] || rm -rf "$dir"
done

# ---------------------------------------------------------------------------------------------
# Interop extras on a 1 KB message: each verifier takes the others' signatures and refuses a
# tampered one; each decrypter opens the others' CBC (and openssl/smime GCM) messages.

INTEROP=()
interop() {  # $1 description, $2 expected exit (0 or "nonzero"), rest: command
  local what=$1 want=$2 rc stem=$LOGS/interop-last; shift 2
  "$@" >"$stem.out" 2>"$stem.err"
  rc=$?
  { echo "== $what (exit $rc)"; cat "$stem.out" "$stem.err"; } >>"$LOGS/interop.log"
  if [[ $1 == smime ]] && is_not_implemented "$stem"; then
    INTEROP+=("| $what | n/a |")
  elif [[ $want == 0 && $rc == 0 ]] || [[ $want == nonzero && $rc != 0 ]]; then
    INTEROP+=("| $what | pass |")
  else
    INTEROP+=("| $what | **FAIL** (exit $rc) |")
  fi
}

# tamper IN OUT: one word of the signed text changed ("quick" -> "quack"); OUT is left empty
# when IN has no such text (say, a signer that re-encoded the body), so checks say n/a.
tamper() {
  sed 's/the quick brown/the quack brown/' "$1" >"$2" 2>/dev/null
  if cmp -s "$1" "$2"; then : >"$2"; fi
}

interop_from() {  # $1 input that smime wrote; the rest as for interop
  local input=$1; shift
  if [[ -s $input ]]; then
    interop "$@"
  else
    INTEROP+=("| $1 | n/a (no input: ${input##*/} is empty) |")
  fi
}

run_interop() {
  local in=$WORK/msg-interop.eml dir=$WORK/out/interop
  rm -rf "$dir"
  mkdir -p "$dir"
  [[ -s $in ]] || make_message 1k "$in"
  local have_smime=0
  [[ $SMIME_STATE == ok ]] && have_smime=1

  # openssl signs what it is given whole; to make a mail of it, as a mail client would, sign
  # the body entity and put the message headers (From, To, ...) outside. smime rightly refuses
  # a signed message with no From to compare the signer with.
  tail -n +7 "$in" >"$dir/inner.eml"
  openssl cms -sign -in "$dir/inner.eml" -signer "$USER_PEM" -inkey "$USER_KEY" \
    -out "$dir/o.part" 2>>"$LOGS/interop.log"
  { head -n 5 "$in" | tr -d '\r'; cat "$dir/o.part"; } >"$dir/o.signed"
  "$PEER_BIN" sign "$in" "$dir/m.signed" --cert "$USER_PEM" --key "$USER_KEY" \
    2>>"$LOGS/interop.log"
  tamper "$dir/o.signed" "$dir/o.tampered"
  tamper "$dir/m.signed" "$dir/m.tampered"

  interop "openssl verifies mimekit-peer's signature" 0 \
    openssl cms -verify -in "$dir/m.signed" -CAfile "$ROOT_PEM" -out /dev/null
  interop "mimekit-peer verifies openssl's signature" 0 \
    "$PEER_BIN" verify "$dir/o.signed" --trust "$ROOT_PEM"
  interop_from "$dir/m.tampered" "openssl refuses tampered mimekit-peer signature" nonzero \
    openssl cms -verify -in "$dir/m.tampered" -CAfile "$ROOT_PEM" -out /dev/null
  interop_from "$dir/o.tampered" "mimekit-peer refuses tampered openssl signature" nonzero \
    "$PEER_BIN" verify "$dir/o.tampered" --trust "$ROOT_PEM"
  # An unrelated root: a valid signature by a certificate that does not chain to it.
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -keyout "$dir/other.key" \
    -out "$dir/other.pem" -subj "/CN=unrelated root" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  interop "openssl refuses a signer outside the trusted root" nonzero \
    openssl cms -verify -in "$dir/m.signed" -CAfile "$dir/other.pem" -out /dev/null
  interop "mimekit-peer refuses a signer outside the trusted root" nonzero \
    "$PEER_BIN" verify "$dir/o.signed" --trust "$dir/other.pem"

  openssl cms -encrypt -aes256 -in "$in" -out "$dir/o.cbc" "$USER_PEM" 2>>"$LOGS/interop.log"
  openssl cms -encrypt -aes-256-gcm -in "$in" -out "$dir/o.gcm" "$USER_PEM" \
    2>>"$LOGS/interop.log"
  "$PEER_BIN" encrypt "$in" "$dir/m.cbc" --to "$USER_PEM" 2>>"$LOGS/interop.log"
  interop "openssl decrypts mimekit-peer's CBC" 0 \
    openssl cms -decrypt -in "$dir/m.cbc" -recip "$USER_PEM" -inkey "$USER_KEY" -out /dev/null
  interop "mimekit-peer decrypts openssl's CBC" 0 \
    "$PEER_BIN" decrypt "$dir/o.cbc" "$dir/m.plain" --cert "$USER_PEM" --key "$USER_KEY"

  if [[ $have_smime == 1 ]]; then
    smime sign "$in" -o "$dir/s.signed" --cert "$USER_PEM" --key "$USER_KEY" \
      >/dev/null 2>>"$LOGS/interop.log"
    tamper "$dir/s.signed" "$dir/s.tampered"
    interop "smime verifies openssl's signature" 0 \
      smime verify "$dir/o.signed" --trust "$ROOT_PEM"
    interop "smime verifies mimekit-peer's signature" 0 \
      smime verify "$dir/m.signed" --trust "$ROOT_PEM"
    interop_from "$dir/o.tampered" "smime refuses tampered openssl signature" nonzero \
      smime verify "$dir/o.tampered" --trust "$ROOT_PEM"
    interop "smime refuses a signer outside the trusted root" nonzero \
      smime verify "$dir/o.signed" --trust "$dir/other.pem"
    interop_from "$dir/s.signed" "openssl verifies smime's signature" 0 \
      openssl cms -verify -in "$dir/s.signed" -CAfile "$ROOT_PEM" -out /dev/null
    interop_from "$dir/s.signed" "mimekit-peer verifies smime's signature" 0 \
      "$PEER_BIN" verify "$dir/s.signed" --trust "$ROOT_PEM"
    interop_from "$dir/s.tampered" "openssl refuses tampered smime signature" nonzero \
      openssl cms -verify -in "$dir/s.tampered" -CAfile "$ROOT_PEM" -out /dev/null
    interop "smime decrypts openssl's GCM" 0 \
      smime decrypt "$dir/o.gcm" -o "$dir/s.plain1" --cert "$USER_PEM" --key "$USER_KEY"
    interop "smime decrypts mimekit-peer's CBC" 0 \
      smime decrypt "$dir/m.cbc" -o "$dir/s.plain2" --cert "$USER_PEM" --key "$USER_KEY"
    smime encrypt "$in" -o "$dir/s.gcm" --to "$USER_PEM" >/dev/null 2>>"$LOGS/interop.log"
    smime encrypt "$in" -o "$dir/s.cbc" --to "$USER_PEM" --cipher aes256-cbc \
      >/dev/null 2>>"$LOGS/interop.log"
    interop_from "$dir/s.gcm" "openssl decrypts smime's GCM" 0 \
      openssl cms -decrypt -in "$dir/s.gcm" -recip "$USER_PEM" -inkey "$USER_KEY" -out /dev/null
    interop_from "$dir/s.cbc" "mimekit-peer decrypts smime's CBC" 0 \
      "$PEER_BIN" decrypt "$dir/s.cbc" "$dir/m.plain2" --cert "$USER_PEM" --key "$USER_KEY"
  else
    INTEROP+=("| smime checks | $SMIME_STATE |")
  fi
  rm -rf "$dir"
}

note "interop checks (1 KB)"
run_interop

source "$BENCH/algorithms.sh"

# ---------------------------------------------------------------------------------------------
# Report.

secs_of() { local k="$1|$2|$3"; [[ ${STATUS[$k]:-} == ok ]] && echo "${SECS[$k]}" || echo "${STATUS[$k]:-n/a}"; }
mb_of() {
  local k="$1|$2|$3"
  if [[ ${STATUS[$k]:-} == ok ]]; then
    awk -v kb="${KB[$k]}" 'BEGIN { printf "%.1f", kb / 1024 }'
  else
    echo "${STATUS[$k]:-n/a}"
  fi
}
ratio() {  # $1 $2 keys: SECS[a]/SECS[b]
  if [[ ${STATUS[$1]:-} == ok && ${STATUS[$2]:-} == ok ]]; then
    awk -v a="${SECS[$1]}" -v b="${SECS[$2]}" \
      'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'
  else
    echo "-"
  fi
}

OPS=(sign verify encrypt-gcm encrypt-cbc decrypt-gcm decrypt-cbc)
op_label() {
  case $1 in
    encrypt-gcm) echo "encrypt AES-256-GCM" ;;
    encrypt-cbc) echo "encrypt AES-256-CBC" ;;
    decrypt-gcm) echo "decrypt AES-256-GCM" ;;
    decrypt-cbc) echo "decrypt AES-256-CBC" ;;
    *) echo "$1" ;;
  esac
}

REPORT=$OUT/results-$STAMP.md
{
  echo "# smime benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "- machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2/1048576 }' /proc/meminfo) RAM; $(openssl version | cut -d' ' -f1-2); .NET SDK $(dotnet --version)"
  echo "- smime: ${SMIME_CMD[*]} ($SMIME_STATE; commit $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?'))"
  echo "- best of $RUNS_SMALL runs (best of $RUNS_LARGE at 100 MB and up); time = wall seconds, MB = peak RSS"
  echo "- MimeKit has no AES-GCM: its column is CBC only, and mimekit/smime compares CBC with CBC"
  echo
  echo "| size | op | smime s | smime MB | openssl s | openssl MB | mimekit s | mimekit MB | smime/openssl | mimekit/smime |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  for size in "${SIZE_LIST[@]}"; do
    for op in "${OPS[@]}"; do
      printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
        "$size" "$(op_label "$op")" \
        "$(secs_of "$size" "$op" smime)" "$(mb_of "$size" "$op" smime)" \
        "$(secs_of "$size" "$op" openssl)" "$(mb_of "$size" "$op" openssl)" \
        "$(secs_of "$size" "$op" mimekit)" "$(mb_of "$size" "$op" mimekit)" \
        "$(ratio "$size|$op|smime" "$size|$op|openssl")" \
        "$(ratio "$size|$op|mimekit" "$size|$op|smime")"
    done
  done

  # Targets (reported, not enforced), judged at 100 MB, or at the largest size run.
  target_size=$TARGET_SIZE
  echo
  if [[ $target_size == 100m ]]; then
    echo "## Targets at 100 MB"
  else
    echo "## Targets at $target_size (they are set for 100 MB; run with --sizes ...,100m)"
  fi
  echo
  echo "| target | op | value | verdict |"
  echo "|---|---|---:|---|"
  verdict() {  # $1 value or "-", $2 awk condition on v
    if [[ $1 == - || $1 == n/a* || $1 == FAIL ]]; then echo "n/a"
    elif awk -v v="$1" "BEGIN { exit !($2) }"; then echo "pass"
    else echo "**miss**"; fi
  }
  for op in sign verify; do
    v=$(mb_of "$target_size" "$op" smime)
    [[ $v =~ ^[0-9.]+$ ]] && v="$v MB"
    echo "| smime peak memory < 100 MB (streams) | $op | $v | $(verdict "${v% MB}" 'v < 100') |"
  done
  for op in "${OPS[@]}"; do
    v=$(ratio "$target_size|$op|smime" "$target_size|$op|openssl")
    echo "| smime time <= 2x openssl | $(op_label "$op") | $v | $(verdict "$v" 'v <= 2') |"
  done
  for op in sign verify encrypt-cbc decrypt-cbc; do
    v=$(ratio "$target_size|$op|mimekit" "$target_size|$op|smime")
    echo "| smime >= 5x faster than MimeKit | $(op_label "$op") | $v | $(verdict "$v" 'v >= 5') |"
  done

  algorithm_table
  echo
  echo "## Tamper checks ($TARGET_SIZE): own signature, last body line changed, must be refused"
  echo
  echo "| verifier | result |"
  echo "|---|---|"
  printf '%s\n' "${TAMPER[@]}"
  echo
  echo "## Interop checks (1 KB)"
  echo
  echo "| check | result |"
  echo "|---|---|"
  printf '%s\n' "${INTEROP[@]}"
  echo
  echo "Logs: $LOGS"
} | tee "$REPORT"

note "report written to $REPORT"
# Exit non-zero only when a tool failed a sanity check (FAIL), not for n/a.
fails=0
for k in "${!STATUS[@]}"; do [[ ${STATUS[$k]} == FAIL ]] && fails=$((fails + 1)); done
for line in "${INTEROP[@]}" "${TAMPER[@]}"; do [[ $line == *FAIL* ]] && fails=$((fails + 1)); done
(( fails == 0 )) || { note "$fails failure(s)"; exit 1; }
