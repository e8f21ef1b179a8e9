#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# test_vrrp.sh with VRRP_MODE=v3: VRRPv3, no authentication against keepalived.
# usage: test/lab/test_vrrp_v3.sh [BUILD]      (root)
VRRP_MODE=v3 exec "$(dirname "$0")/test_vrrp.sh" "$@"
