#!/bin/sh
# The page a web server in blue will serve in the port-forward task. No namespace exists yet:
# the learner builds everything.
set -eu
mkdir -p /srv/blue
echo "Hello from the blue namespace ($blue_ip)" > /srv/blue/index.html
