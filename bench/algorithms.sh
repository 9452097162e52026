# Sourced by bench/run.sh: the S/MIME 4.0 algorithms beside RSA. ECDSA P-256 and Ed25519
# signing and verifying, ECDH P-256 and X25519 (AES-256-GCM) encrypting and decrypting, at
# $ALGO_SIZES (1k,10m by default). openssl 3.0 does ECDSA and ECDH in CMS but not Ed25519 or
# X25519; MimeKit's peer signs with ECDSA but has no GCM, Ed25519 or X25519: those cells say
# n/a with the reason.

CURVE_OPS=(sign-ecdsa verify-ecdsa sign-ed25519 verify-ed25519
  encrypt-ecdh decrypt-ecdh encrypt-x25519 decrypt-x25519)

EC_PEM=$PKI/ec.pem
EC_KEY=$PKI/ec.key
ED_PEM=$PKI/ed25519.pem
ED_KEY=$PKI/ed25519.key
X_PEM=$PKI/x25519.pem
X_KEY=$PKI/x25519.key

# Issues $1.pem for the key in $1.key under the bench root, for bench@example.com (the From
# of every bench message). An X25519 key cannot sign its request: the root's key signs it and
# -force_pubkey puts the X25519 key in the certificate.
issue_curve() {  # $1 stem, $2 key usage
  local stem=$1 usage=$2 csr_key=$1.key
  printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,$usage" \
    "extendedKeyUsage=emailProtection" "subjectAltName=email:bench@example.com" \
    "subjectKeyIdentifier=hash" "authorityKeyIdentifier=keyid" >"$stem.ext"
  local force=()
  if [[ $usage == keyAgreement ]]; then
    openssl pkey -in "$stem.key" -pubout -out "$stem.pub" 2>/dev/null || return 1
    csr_key=$PKI/root.key
    force=(-force_pubkey "$stem.pub")
  fi
  openssl req -new -key "$csr_key" -out "$stem.csr" \
    -subj "/CN=Bench User ${stem##*/}/emailAddress=bench@example.com" 2>/dev/null || return 1
  openssl x509 -req -in "$stem.csr" -CA "$ROOT_PEM" -CAkey "$PKI/root.key" -CAcreateserial \
    -days 3650 "${force[@]}" -extfile "$stem.ext" -out "$stem.pem" 2>/dev/null
}

make_curve_pki() {
  openssl genpkey -algorithm ec -pkeyopt ec_paramgen_curve:P-256 -out "$EC_KEY" 2>/dev/null &&
    issue_curve "$PKI/ec" "digitalSignature,keyAgreement" &&
    openssl genpkey -algorithm ed25519 -out "$ED_KEY" 2>/dev/null &&
    issue_curve "$PKI/ed25519" digitalSignature &&
    openssl genpkey -algorithm x25519 -out "$X_KEY" 2>/dev/null &&
    issue_curve "$PKI/x25519" keyAgreement
}

# Runs the rows for one size.
run_curves() {  # $1 size
  local size=$1 in=$WORK/msg-$1.eml dir=$WORK/out/curves-$1
  rm -rf "$dir"
  mkdir -p "$dir"
  [[ -s $in ]] || { note "generating $in"; make_message "$size" "$in.tmp" && mv "$in.tmp" "$in"; }
  note "curves, size $size"

  local have=0
  [[ $SMIME_STATE == ok ]] && have=1

  # ECDSA P-256: all three tools.
  if (( have )); then
    bench "$size" sign-ecdsa smime "$in" "$dir/smime.ecdsa" -- \
      "${SMIME_CMD[@]}" sign "$in" -o "$dir/smime.ecdsa" --cert "$EC_PEM" --key "$EC_KEY"
  else
    skip "$size" sign-ecdsa smime "$SMIME_STATE"
  fi
  bench "$size" sign-ecdsa openssl "$in" "$dir/openssl.ecdsa" -- \
    openssl cms -sign -in "$in" -signer "$EC_PEM" -inkey "$EC_KEY" -out "$dir/openssl.ecdsa"
  bench "$size" sign-ecdsa mimekit "$in" "$dir/mimekit.ecdsa" -- \
    "$PEER_BIN" sign "$in" "$dir/mimekit.ecdsa" --cert "$EC_PEM" --key "$EC_KEY"
  ok "$size" sign-ecdsa smime &&
    bench "$size" verify-ecdsa smime "$dir/smime.ecdsa" /dev/null -- \
      "${SMIME_CMD[@]}" verify "$dir/smime.ecdsa" --trust "$ROOT_PEM"
  ok "$size" sign-ecdsa openssl &&
    bench "$size" verify-ecdsa openssl "$dir/openssl.ecdsa" /dev/null -- \
      openssl cms -verify -in "$dir/openssl.ecdsa" -CAfile "$ROOT_PEM" -out /dev/null
  ok "$size" sign-ecdsa mimekit &&
    bench "$size" verify-ecdsa mimekit "$dir/mimekit.ecdsa" /dev/null -- \
      "$PEER_BIN" verify "$dir/mimekit.ecdsa" --trust "$ROOT_PEM"

  # Ed25519 (RFC 8419): smime only.
  if (( have )); then
    bench "$size" sign-ed25519 smime "$in" "$dir/smime.ed25519" -- \
      "${SMIME_CMD[@]}" sign "$in" -o "$dir/smime.ed25519" --cert "$ED_PEM" --key "$ED_KEY"
    ok "$size" sign-ed25519 smime &&
      bench "$size" verify-ed25519 smime "$dir/smime.ed25519" /dev/null -- \
        "${SMIME_CMD[@]}" verify "$dir/smime.ed25519" --trust "$ROOT_PEM"
  fi
  for op in sign-ed25519 verify-ed25519; do
    skip "$size" "$op" openssl "n/a (no Ed25519 in CMS)"
    skip "$size" "$op" mimekit "n/a (no Ed25519)"
  done

  # ECDH P-256 (RFC 5753) with AES-256-GCM: smime and openssl.
  if (( have )); then
    bench "$size" encrypt-ecdh smime "$in" "$dir/smime.ecdh" -- \
      "${SMIME_CMD[@]}" encrypt "$in" -o "$dir/smime.ecdh" --to "$EC_PEM"
    ok "$size" encrypt-ecdh smime &&
      bench "$size" decrypt-ecdh smime "$in" "$dir/smime.ecdh.plain" -- \
        "${SMIME_CMD[@]}" decrypt "$dir/smime.ecdh" -o "$dir/smime.ecdh.plain" \
          --cert "$EC_PEM" --key "$EC_KEY"
  fi
  bench "$size" encrypt-ecdh openssl "$in" "$dir/openssl.ecdh" -- \
    openssl cms -encrypt -aes-256-gcm -in "$in" -out "$dir/openssl.ecdh" "$EC_PEM"
  ok "$size" encrypt-ecdh openssl &&
    bench "$size" decrypt-ecdh openssl "$in" "$dir/openssl.ecdh.plain" -- \
      openssl cms -decrypt -in "$dir/openssl.ecdh" -recip "$EC_PEM" -inkey "$EC_KEY" \
        -out "$dir/openssl.ecdh.plain"

  # X25519 (RFC 8418) with AES-256-GCM: smime only.
  if (( have )); then
    bench "$size" encrypt-x25519 smime "$in" "$dir/smime.x25519" -- \
      "${SMIME_CMD[@]}" encrypt "$in" -o "$dir/smime.x25519" --to "$X_PEM"
    ok "$size" encrypt-x25519 smime &&
      bench "$size" decrypt-x25519 smime "$in" "$dir/smime.x25519.plain" -- \
        "${SMIME_CMD[@]}" decrypt "$dir/smime.x25519" -o "$dir/smime.x25519.plain" \
          --cert "$X_PEM" --key "$X_KEY"
  fi
  for op in encrypt-x25519 decrypt-x25519; do
    skip "$size" "$op" openssl "n/a (no X25519 in CMS)"
    skip "$size" "$op" mimekit "n/a (no X25519)"
  done
  for op in encrypt-ecdh decrypt-ecdh; do
    skip "$size" "$op" mimekit "n/a (no GCM)"
  done
  [[ $KEEP == 1 ]] || rm -rf "$dir"
}

curve_label() {
  case $1 in
    sign-ecdsa) echo "sign ECDSA P-256" ;;
    verify-ecdsa) echo "verify ECDSA P-256" ;;
    sign-ed25519) echo "sign Ed25519" ;;
    verify-ed25519) echo "verify Ed25519" ;;
    encrypt-ecdh) echo "encrypt ECDH P-256, AES-256-GCM" ;;
    decrypt-ecdh) echo "decrypt ECDH P-256, AES-256-GCM" ;;
    encrypt-x25519) echo "encrypt X25519, AES-256-GCM" ;;
    decrypt-x25519) echo "decrypt X25519, AES-256-GCM" ;;
  esac
}

# The report's table for these rows; run.sh calls it inside its report.
algorithm_table() {
  [[ ${#CURVE_SIZES[@]} -gt 0 ]] || return 0
  echo
  echo "## ECDSA, Ed25519, ECDH and X25519"
  echo
  echo "| size | op | smime s | smime MB | openssl s | openssl MB | mimekit s | mimekit MB | smime/openssl | mimekit/smime |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  local size op
  for size in "${CURVE_SIZES[@]}"; do
    for op in "${CURVE_OPS[@]}"; do
      printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
        "$size" "$(curve_label "$op")" \
        "$(secs_of "$size" "$op" smime)" "$(mb_of "$size" "$op" smime)" \
        "$(secs_of "$size" "$op" openssl)" "$(mb_of "$size" "$op" openssl)" \
        "$(secs_of "$size" "$op" mimekit)" "$(mb_of "$size" "$op" mimekit)" \
        "$(ratio "$size|$op|smime" "$size|$op|openssl")" \
        "$(ratio "$size|$op|mimekit" "$size|$op|smime")"
    done
  done
}

CURVE_SIZES=()
if [[ $ALGO_SIZES != none && -n $ALGO_SIZES ]]; then
  IFS=, read -r -a CURVE_SIZES <<<"$ALGO_SIZES"
  if [[ ! -s $EC_PEM || ! -s $ED_PEM || ! -s $X_PEM ]] ||
     ! openssl verify -CAfile "$ROOT_PEM" "$EC_PEM" "$ED_PEM" "$X_PEM" >/dev/null 2>&1; then
    note "making ECDSA, Ed25519 and X25519 users in $PKI"
    make_curve_pki || { note "could not make the curve users"; CURVE_SIZES=(); }
  fi
  for size in "${CURVE_SIZES[@]}"; do
    run_curves "$size"
  done
fi
