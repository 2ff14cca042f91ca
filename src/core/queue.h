/*
 * queue.h - the clerk's work queue on the home screen, most urgent first
 * (DOMAIN.md "The clerk's day"): each case with work left goes into the
 * first group that fits it, with why it is there and the date that matters.
 * The store lists the candidates (store_case_open); the sync problems come
 * from the outbox.
 */
#ifndef TB_CORE_QUEUE_H
#define TB_CORE_QUEUE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/calendar.h"
#include "core/date.h"

enum queue_group {
	QG_RED,            /* 红灯: past the promised completion date */
	QG_YELLOW,         /* 黄灯: due within the yellow days */
	QG_SUPPLY_OVERDUE, /* 逾期未补正: the supply-by date passed */
	QG_SUPPLY,         /* 待补正: waiting for the applicant */
	QG_VERIFY,         /* 待核查: a commitment due or overdue */
	QG_RELEASE,        /* 待出件: the back office decided */
	QG_FOLLOW_UP,      /* 待整改: a bad rating's follow-up open */
	QG_SYNC,           /* 同步问题: the server refused an event */
	QG_N
};

/* A case as the queue reads it (wire state names, dates YYYY-MM-DD or "";
 * strings borrowed). */
struct queue_case {
	const char *state;
	const char *outcome; /* the counter's first decision */
	const char *received_on;
	const char *due;
	const char *supply_by;
	const char *commit_due;
	const char *follow_up_due;
	const char *done_on;
	bool verified, follow_up_open;
	bool green; /* 绿色通道 (core/green.h): comes first */
	/* 并联审批 (all NULL or 0 for a case one department decides): how many
	 * departments decide it and how many still wait, which ("、"-joined);
	 * once decided, the department that refused (denied), or the parts
	 * approved when the rest were refused (approved in part) */
	size_t joint_parts, joint_waiting;
	const char *joint_waiting_depts;
	const char *joint_refused_by;
	const char *joint_approved;
};

struct queue_entry {
	enum queue_group group;
	struct tb_date date; /* the date that matters; y == 0 when none */
	int days;            /* working days: waited (待补正), overdue (> 0 red, 逾期), or
	                      * left (黄灯, 待核查 not yet due) */
	char why[400];       /* why it is there, for the clerk */
	char brief[64];      /* the same in a few words, for a list's column */
	bool green;          /* 绿色通道: before every other case */
};

/*
 * Where c goes in the queue today (yellow at yellow_days working days
 * left): 1 with *out, 0 when it needs nothing from the window now.  cal
 * may be NULL (then only the groups that need no working days).
 */
int queue_classify(const struct queue_case *c, const struct calendar *cal, struct tb_date today,
                   int yellow_days, struct queue_entry *out);

/* Which of a and b comes first: a 绿色通道 case, then the group, then the
 * date (earliest first). */
int queue_entry_cmp(const struct queue_entry *a, const struct queue_entry *b);

/* The group's short name in the current language ("红灯 逾期"...).  Static. */
/* The same in a word or two, for a column of the queue's rows. */
const char *queue_group_tag(enum queue_group g);

const char *queue_group_label(enum queue_group g);

#endif
