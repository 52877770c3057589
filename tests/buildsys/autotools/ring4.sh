#!/bin/sh
# SPDX-License-Identifier: MIT
exec tessera-mpirun -np 4 ./ring
