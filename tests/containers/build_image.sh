#!/bin/bash
# Build localhost/sgc-test-busybox:latest (see lib.sh) for manual use.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ctr_require
ctr_build_image
podman image inspect --format '{{.Id}} {{.RepoTags}}' "$SGC_CTR_IMAGE"
