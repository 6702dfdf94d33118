#!/bin/sh
# Lokole first boot (lokole-first-boot.service): runs once per SD card, for what must differ
# between cards made from one image, then marks itself done. Safe to run again if cut short.
set -eu

STATE_DIR=/var/lib/lokole
DONE="$STATE_DIR/.first-boot-done"

log() {
  echo "lokole-first-boot: $*"
}

# The image is just big enough for its files; give the root file system the whole card.
grow_root() {
  root_dev=$(findmnt -n -o SOURCE /)
  part_name=$(basename "$root_dev")
  disk_name=$(lsblk -n -o PKNAME "$root_dev" 2>/dev/null || true)
  if [ -z "$disk_name" ] || [ ! -r "/sys/class/block/$part_name/partition" ]; then
    log "root $root_dev is not a partition of a disk; not growing it"
    return 0
  fi
  part_num=$(cat "/sys/class/block/$part_name/partition")
  if command -v growpart >/dev/null 2>&1; then
    # growpart: 0 grown, 1 nothing to grow, 2 failure.
    status=0
    growpart "/dev/$disk_name" "$part_num" || status=$?
    if [ "$status" -eq 1 ]; then
      log "root partition already fills the card"
      return 0
    fi
    [ "$status" -eq 0 ] || return "$status"
  else
    echo ',+' | sfdisk --no-reread --force -N "$part_num" "/dev/$disk_name"
    partx --update --nr "$part_num" "/dev/$disk_name"
  fi
  resize2fs "$root_dev"
  log "root file system grown to the card"
}

# The image must not carry secrets: every card makes its own.
make_secrets() {
  mkdir -p "$STATE_DIR"
  (
    umask 077
    head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$STATE_DIR/session-secret.tmp"
  )
  mv "$STATE_DIR/session-secret.tmp" "$STATE_DIR/session-secret"
  if id lokole >/dev/null 2>&1; then
    chown lokole:lokole "$STATE_DIR/session-secret"
  fi
  log "session secret made"
}

make_ssh_host_keys() {
  if ! command -v ssh-keygen >/dev/null 2>&1; then
    log "no ssh-keygen; SSH is not installed"
    return 0
  fi
  # Keys left by the image build would be the same on every card.
  rm -f /etc/ssh/ssh_host_*
  ssh-keygen -A
  log "SSH host keys made"
}

grow_root
make_secrets
make_ssh_host_keys
touch "$DONE"
sync
log "done"
