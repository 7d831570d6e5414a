# Sourced by .ci/run: a private Docker daemon and a locally made base image, for machines that
# cannot pull images (see ../shared/notes/containers.md). Needs root and Debian's docker.io and
# debootstrap packages.

docker_root="${DOCKER_CI_ROOT:-/tmp/onetake-ci-docker}"
base_cache="${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/onetake-base-image"
BASE_IMAGE_TAG="onetake/base-bookworm-python3.11:local"

start_private_dockerd() {
  mkdir -p "$docker_root"
  dockerd --iptables=false --ip6tables=false --bridge=none --storage-driver=overlay2 \
    --data-root="$docker_root/data" --exec-root="$docker_root/exec" \
    --pidfile="$docker_root/docker.pid" -H "unix://$docker_root/docker.sock" \
    >"$docker_root/dockerd.log" 2>&1 &
  export DOCKER_HOST="unix://$docker_root/docker.sock"
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "dockerd did not start:"; tail -20 "$docker_root/dockerd.log"; return 1
}

stop_private_dockerd() {
  [ -f "$docker_root/docker.pid" ] || return 0
  local pid
  pid="$(cat "$docker_root/docker.pid")"
  docker ps -q 2>/dev/null | xargs -r docker rm -f >/dev/null 2>&1 || true
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -9 "$pid" 2>/dev/null || true
  umount "$docker_root/exec/netns/default" 2>/dev/null || true
  rm -rf "$docker_root"
}

# Debian bookworm minbase + python3 (3.11), cached as a tarball between runs on one machine.
make_base_image() {
  if [ ! -s "$base_cache/rootfs.tar" ]; then
    local rootfs="$base_cache/rootfs"
    rm -rf "$rootfs" && mkdir -p "$rootfs"
    debootstrap --variant=minbase --include=python3,ca-certificates bookworm "$rootfs" >"$base_cache/debootstrap.log" 2>&1 \
      || { tail -20 "$base_cache/debootstrap.log"; return 1; }
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -cf "$base_cache/rootfs.tar.tmp" . && mv "$base_cache/rootfs.tar.tmp" "$base_cache/rootfs.tar"
    rm -rf "$rootfs"
  fi
  docker import "$base_cache/rootfs.tar" "$BASE_IMAGE_TAG" >/dev/null
}
