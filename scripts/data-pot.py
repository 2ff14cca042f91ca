#!/usr/bin/env python3
"""Make po/data/tongban-data.pot: the Chinese names of the bundled data that a
clerk sees on screen (items, their conditions, departments, materials and their
notes, form titles, labels, help and choices), whose English the UI shows under LANG=C or en_* (through
i18n_data()).  A maintainer's step, like scripts/po-pot.sh; then
  msgmerge --update po/data/en.po po/data/tongban-data.pot
The data files themselves stay Chinese: they are what is stored and printed."""
import glob, json, os, re, sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
os.chdir(root)
CJK = re.compile(r'[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]')
found = {}  # msgid -> set of "file:what"

def add(s, where):
    if isinstance(s, str) and s and CJK.search(s):
        found.setdefault(s, set()).add(where)

for cf in sorted(glob.glob('data/catalogue*.json')):
    cat = json.load(open(cf, encoding='utf-8'))
    for it in cat['items']:
        w = cf + ':' + it['code']
        for k in ('name', 'sub_name', 'type', 'dept', 'fee', 'conditions'):
            add(it.get(k), w)
        for m in it.get('materials', []):
            add(m.get('name'), w)
            add(m.get('form'), w)
            add(m.get('note'), w)
    for b in cat.get('bundles', []):
        add(b.get('name'), cf + ':bundle')

# what src/core/bundle.c names a bundle's item with
for s in ('一件事', '不收费', '按各事项规定收费'):
    add(s, 'src/core/bundle.c')

for f in sorted(glob.glob('forms/*.json') + glob.glob('forms/items/*.json')):
    d = json.load(open(f, encoding='utf-8'))
    add(d.get('title'), f)
    for sec in d.get('sections', []):
        add(sec.get('title'), f)
        for fl in sec.get('fields', []):
            for k in ('label', 'help', 'pattern_message'):
                add(fl.get(k), f)
            for c in fl.get('choices', []):
                add(c, f)

conf = json.load(open('data/config.json', encoding='utf-8'))
for k, v in conf.items():
    add(v, 'data/config.json:' + k)

def q(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'

out = ['# The bundled data\'s Chinese, as shown on screen: made by scripts/data-pot.py.',
       'msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"', '']
for s in sorted(found):
    out.append('#: ' + ' '.join(sorted(found[s])[:4]))
    out.append('msgid ' + q(s))
    out.append('msgstr ""')
    out.append('')
os.makedirs('po/data', exist_ok=True)
open('po/data/tongban-data.pot', 'w', encoding='utf-8').write('\n'.join(out))
print('po/data/tongban-data.pot: %d messages' % len(found))
