/*
 * clerk.h - who sits at the window: the clerk identity a server login
 * returns (and the local database keeps for offline login), and the
 * terminal code of this PC that makes its case numbers unique.
 */
#ifndef TB_CORE_CLERK_H
#define TB_CORE_CLERK_H

/* A clerk as the server knows them. */
struct clerk {
	char id[64];
	char name[128];
	char hall[64];
	char hall_name[256];
	char window[16];
	char role[32];
};

/* Size of a terminal code ("T07"; "L" and four letters before the first
 * online login of an upgraded database). */
#define TERMINAL_CODE_SIZE 16

#endif
