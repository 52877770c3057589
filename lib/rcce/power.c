// SPDX-License-Identifier: MIT
/*
 * power.c: RCCE's power management over the board's modelled DVFS state. As on the SCC:
 * a power domain is a 2x2 block of tiles (8 cores on scc48, 6 domains) with one voltage;
 * its frequency is 1600 MHz divided by a divider of 2..16 (default 3: 533 MHz at voltage
 * level 4, 1.1 V); only the domain's master UE (its lowest rank) acts, the others' calls
 * return RCCE_SUCCESS at once. RCCE_iset_power picks the lowest voltage level that allows
 * the new frequency (RCCE's table below), lowers the frequency at once when it drops, and
 * raises it only in RCCE_wait_power, after the modelled voltage ramp.
 *
 * The state lives in the board registers of every core of the domain (tk_power_set), so
 * `tessera ps` shows it, and each change is traced (TESSERA_TR_POWER). It changes no
 * timing of the emulation: the host's clock does not slow down.
 */
#include "rcce_impl.h"
#include "rcce_param.h"

#define GLOBAL_MHZ	1600
#define FDIV_MIN	2
#define FDIV_MAX	16
#define FDIV_DEFAULT	3
#define VLEVEL_DEFAULT	4

/* RCCE's table: highest MHz each voltage level allows, and its millivolts. */
static const struct { int mhz, mv; } vlevels[] = {
	{ 460, 700 }, { 598, 800 }, { 644, 900 }, { 748, 1000 },
	{ 875, 1100 }, { 1024, 1200 }, { 1198, 1300 },
};
#define NVLEVELS ((int)(sizeof(vlevels) / sizeof(vlevels[0])))

static uint32_t domain_of(uint32_t core)
{
	const struct tessera_geom *g = tk_geom();

	return tessera_core_x(g, core) / 2 + (g->mesh_x + 1) / 2 * (tessera_core_y(g, core) / 2);
}

static int domain_color(int ue, void *nothing)
{
	(void)nothing;
	return (int)domain_of((uint32_t)RC_COREID[ue]);
}

int rcce_power_comm(RCCE_COMM *comm)
{
	return RCCE_comm_split(domain_color, NULL, comm);
}

int RCCE_power_domain(void)
{
	return (int)domain_of(tk_core());
}

int RCCE_power_domain_master(void)
{
	return RCCE_P_COMM.member[0];
}

int RCCE_power_domain_size(void)
{
	return RCCE_P_COMM.size;
}

/* The lowest voltage level that allows 1600/fdiv MHz, or -1. */
static int level_for(int fdiv)
{
	for (int v = 0; v < NVLEVELS; v++)
		if (vlevels[v].mhz >= GLOBAL_MHZ / fdiv)
			return v;
	return -1;
}

static void state(int *fdiv, int *vlevel)
{
	uint32_t f, v;

	tk_power_get(tk_core(), &f, &v);
	*fdiv = f ? (int)f : FDIV_DEFAULT;
	*vlevel = f ? (int)v : VLEVEL_DEFAULT;
}

/* Set the whole domain (every core of its tiles, in the job or not) and trace it. */
static void domain_set(int fdiv, int vlevel)
{
	uint32_t dom = domain_of(tk_core()), n = tessera_cores(tk_geom());

	for (uint32_t c = 0; c < n; c++)
		if (domain_of(c) == dom)
			tk_power_set(c, (uint32_t)fdiv, (uint32_t)vlevel);
	if (tk_tracing())
		tk_trace(TESSERA_TR_POWER, vlevel, fdiv, dom, (uint64_t)(GLOBAL_MHZ / fdiv));
}

static int clamp(int fdiv)
{
	return fdiv < FDIV_MIN ? FDIV_MIN : fdiv > FDIV_MAX ? FDIV_MAX : fdiv;
}

static int master(void)
{
	return RCCE_IAM == RCCE_power_domain_master();
}

int RCCE_iset_power(int fdiv, RCCE_REQUEST *req, int *new_fdiv, int *new_vlevel)
{
	int cur_f, cur_v, v;

	if (!master())
		return RCCE_SUCCESS;
	if (rcce_self.power_active)
		return RCCE_error_return(RCCE_debug_RPC, RCCE_ERROR_MULTIPLE_RPC_REQUESTS);
	if (!req || !new_fdiv || !new_vlevel)
		return RCCE_error_return(RCCE_debug_RPC, RCCE_ERROR_VAL_UNDEFINED);
	fdiv = clamp(fdiv);
	*new_fdiv = fdiv;
	*new_vlevel = v = level_for(fdiv);
	if (v < 0)
		return RCCE_error_return(RCCE_debug_RPC, RCCE_ERROR_FDIVIDER);
	state(&cur_f, &cur_v);
	req->release = 0;
	req->old_voltage_level = cur_v;
	req->new_voltage_level = v;
	req->old_frequency_divider = cur_f;
	req->new_frequency_divider = fdiv;
	/* a lower frequency is safe at the present voltage: apply it now */
	if (fdiv >= cur_f)
		domain_set(fdiv, cur_v);
	/* tessera: the request's start in ns of the job's clock, not in cycles */
	req->start_cycle = (long long)tk_time_ns();
	rcce_self.power_active = 1;
	return RCCE_SUCCESS;
}

int RCCE_wait_power(RCCE_REQUEST *req)
{
	uint64_t until, now;
	int f, v;

	if (!master())
		return RCCE_SUCCESS;
	if (!rcce_self.power_active)
		return RCCE_error_return(RCCE_debug_RPC, RCCE_ERROR_NO_ACTIVE_RPC_REQUEST);
	rcce_self.power_active = 0;
	if (!req || req->release)
		return RCCE_error_return(RCCE_debug_RPC, RCCE_ERROR_STALE_RPC_REQUEST);
	/* the modelled voltage ramp: halted, not spinning */
	until = (uint64_t)req->start_cycle + RCCE_VOLTAGE_RAMP_NS;
	if ((now = tk_time_ns()) < until && tk_vt_on())
		tk_vt_sleep(until - now);	/* virtual time: the ramp passes without the host */
	while ((now = tk_time_ns()) < until)
		tk_halt(until - now);
	state(&f, &v);
	if (req->new_frequency_divider < req->old_frequency_divider)
		f = req->new_frequency_divider;
	domain_set(f, req->new_voltage_level);
	req->release = 1;
	return RCCE_SUCCESS;
}

int RCCE_set_frequency_divider(int fdiv, int *new_fdiv)
{
	int cur_f, cur_v, v;

	if (!master())
		return RCCE_SUCCESS;
	if (rcce_self.power_active)
		return RCCE_error_return(RCCE_debug_RPC, RCCE_ERROR_MULTIPLE_RPC_REQUESTS);
	fdiv = clamp(fdiv);
	v = level_for(fdiv);
	state(&cur_f, &cur_v);
	if (v < 0 || cur_v < v)
		return RCCE_error_return(RCCE_debug_RPC, RCCE_ERROR_FDIVIDER);
	if (new_fdiv)
		*new_fdiv = fdiv;
	domain_set(fdiv, cur_v);
	return RCCE_SUCCESS;
}
