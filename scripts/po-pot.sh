#!/bin/sh
# Make po/tongban.pot from the C sources (the English messages of tongban,
# tongband and tongban-pdf).  A maintainer's step: the .pot and the .po
# files are kept in git; then `make po-update` merges them into the .po files.
set -eu
cd "$(dirname "$0")/.."
git ls-files 'src/*.c' 'src/*.h' 2>/dev/null | sort >po/POTFILES ||
	find src -name '*.[ch]' | sort >po/POTFILES
xgettext --from-code=UTF-8 --language=C --add-comments=TRANSLATORS: \
	--keyword=_ --keyword=N_ --keyword=L --keyword=P_:1,2 \
	--keyword=C_:1c,2 --keyword=NC_:1c,2 \
	--package-name=tongban --package-version=0.1.0 \
	--msgid-bugs-address=tongban@localhost --sort-by-file \
	--files-from=po/POTFILES -o po/tongban.pot
echo "po/tongban.pot: $(grep -c '^msgid ' po/tongban.pot) messages"
