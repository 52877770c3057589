/* SPDX-License-Identifier: MIT */
#ifndef SUM_H
#define SUM_H
int sum_add(int a, int b);
#endif
