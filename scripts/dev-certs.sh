#!/usr/bin/env bash
# Development certificates for the Orleans silo and gateway ports (mutual TLS): a local CA, one silo certificate and
# one client certificate, all PEM, written to the given folder (default ./certs).
#
# Usage: scripts/dev-certs.sh [FOLDER] [--names "silo1 silo2 …"] [--other-ca]
#   ca.crt / ca.key          the CA every silo and SDK client trusts (Orleans:Tls:CaPath, VppClient:CaCertificatePath)
#   silo.crt / silo.key      every silo's certificate: serverAuth + clientAuth (a silo dials other silos too)
#   client.crt / client.key  an SDK client's certificate: clientAuth only, so it can never act as a silo
#   --names                  extra DNS names in the silo certificate (docker-compose service names)
#   --other-ca               also writes other-ca.crt and other-client.crt/.key: a client from a CA nobody trusts (tests)
# Existing files are kept (delete the folder to start over). For development and tests only: production
# certificates come from the organisation's CA and the keys from a secret store.
set -euo pipefail

DIR="./certs"
NAMES=""
OTHER_CA=0
while [ $# -gt 0 ]; do
  case "$1" in
    --names) NAMES="$2"; shift 2 ;;
    --other-ca) OTHER_CA=1; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) DIR="$1"; shift ;;
  esac
done

if ! command -v openssl >/dev/null 2>&1; then
  echo "dev-certs.sh: openssl not found; installing the Debian package" >&2
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && apt-get install -y -qq openssl >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq openssl >/dev/null; fi
fi

# The folder is private to this user (0700); certificates and the silo/client keys in it are 0644 so a container's
# user can read a file mounted from it (docker-compose mounts single files). The CA key stays 0600 and is never mounted.
mkdir -p "$DIR"
chmod 700 "$DIR"
cd "$DIR"
DAYS=825

ca() { # name subject
  [ -f "$1.crt" ] && return 0
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days "$DAYS" \
    -subj "/CN=$2" -keyout "$1.key" -out "$1.crt" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
}

leaf() { # name ca subject extendedKeyUsage subjectAltName
  [ -f "$1.crt" ] && return 0
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$3" -keyout "$1.key" -out "$1.csr" 2>/dev/null
  {
    echo "basicConstraints=critical,CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=$4"
    [ -n "$5" ] && echo "subjectAltName=$5"
  } >"$1.ext"
  openssl x509 -req -in "$1.csr" -CA "$2.crt" -CAkey "$2.key" -CAcreateserial -days "$DAYS" -extfile "$1.ext" -out "$1.crt" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}

SAN="DNS:localhost,IP:127.0.0.1"
for name in $NAMES; do SAN="$SAN,DNS:$name"; done

ca ca "Vpp.Orleans development CA"
leaf silo ca "vpp-silo" "serverAuth,clientAuth" "$SAN"
leaf client ca "vpp-client" "clientAuth" ""
if [ "$OTHER_CA" -eq 1 ]; then
  ca other-ca "Some other CA"
  leaf other-client other-ca "vpp-client" "clientAuth" ""
fi
chmod 644 ./*.crt silo.key client.key
chmod 600 ca.key
[ "$OTHER_CA" -eq 1 ] && chmod 644 other-client.key && chmod 600 other-ca.key
rm -f ./*.srl
echo "dev-certs.sh: certificates in $(pwd)" >&2
