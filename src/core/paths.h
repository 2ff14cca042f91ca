/*
 * paths.h - where the programs find their bundled data and keep their files.
 */
#ifndef TB_CORE_PATHS_H
#define TB_CORE_PATHS_H

/*
 * The folder holding data/ and forms/: $TONGBAN_DATA if set; else the source
 * tree when the running binary sits in it (build/tongban -> ..); else the
 * installed TB_DATADIR (e.g. /usr/local/share/tongban).  Caller frees.
 */
char *paths_data_root(void);

/*
 * A program of tongban's own that it runs (name "tongban-pdf"): beside the
 * running binary when it is there (build/), else in the installed
 * TB_LIBEXECDIR (e.g. /usr/libexec/tongban).  Caller frees.
 */
char *paths_helper(const char *name);

/* The folder of the running binary (/proc/self/exe), or NULL.  Caller frees. */
char *paths_exe_dir(void);

/* root/sub, e.g. paths_join(root, "data/catalogue.json").  Caller frees. */
char *paths_join(const char *root, const char *sub);

/*
 * Default database of a program: $ENVVAR if set, else
 * $XDG_DATA_HOME/NAME/NAME.db (~/.local/share/NAME/NAME.db).  Caller frees.
 */
char *paths_default_db(const char *envvar, const char *name);

#endif
