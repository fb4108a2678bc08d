#!/bin/sh
# The English catalogue after `makemessages`: msgids are English, so each message translates as
# itself (GNU msgen); msgmerge's fuzzy guesses are emptied first (msgen fills only what is empty).
# Run in a UTF-8 locale with a UTF-8 header whatever the caller's locale: in the C locale, or with
# a header still saying "charset=CHARSET", gettext's tools mangle every non-ASCII character
# ("(+225…)" became "(+225).") and complain of invalid multibyte sequences.
set -eu
catalogue="$1"
export LC_ALL=C.UTF-8
sed -i 's/charset=CHARSET/charset=UTF-8/' "$catalogue"
# The header may be marked fuzzy too: its mark (before the first msgid "", the header's) goes first,
# or the header would be emptied; only that one, never the first fuzzy message's.
sed -i '0,/^msgid ""$/{/^#, fuzzy$/d}' "$catalogue"
msgattrib --clear-fuzzy --empty --clear-previous -o "$catalogue" "$catalogue"
msgen -o "$catalogue" "$catalogue"
