#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# test_vrrp.sh with VRRP_MODE=ah: VRRPv2 with IPsec AH authentication against keepalived.
# usage: test/lab/test_vrrp_ah.sh [BUILD]      (root)
VRRP_MODE=ah exec "$(dirname "$0")/test_vrrp.sh" "$@"
