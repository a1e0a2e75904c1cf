#!/bin/sh
# show: one message, in text, JSON and files.
. "$top_srcdir/tests/lib.sh"
plan 13
mc ingest --maildir "$CORPUS/maildir" >/dev/null 2>&1

id=$(mc search --format=json zorbleflux | jq .[0].id)
js=$(mc show --format=json "$id")
check_eq 'show --format=json: message_id' "$(printf '%s' "$js" | jq -r .message_id)" 20240205090000.kickoff@acme.example
check_eq '... from' "$(printf '%s' "$js" | jq -c .from)" '{"name":"Bob Martin","address":"bob@acme.example"}'
check_eq '... date in ISO 8601 UTC' "$(printf '%s' "$js" | jq -r .date)" 2024-02-05T09:00:00Z
check_eq '... the body text' "$(printf '%s' "$js" | jq -r .body | grep -c zorbleflux)" 1
check_eq '... the headers, decoded' "$(printf '%s' "$js" | jq -r '.headers[] | select(.name == "Subject") | .value')" "[ACME-12] Website relaunch kickoff"
check_eq '... every field a script needs' "$(printf '%s' "$js" | jq -r 'keys_unsorted | join(",")')" \
	"id,message_id,thread,date,from,to,cc,subject,direction,automated,flags,clients,projects,labels,folders,files,attachments,snippet,body,headers"
check_eq 'show id:<Message-ID> is the same message' "$(mc show --format=json 'id:<20240205090000.kickoff@acme.example>' | jq .id)" "$id"
txt=$(mc show "$id")
check 'text: the headers a person reads' sh -c 'printf "%s\n" "$1" | grep -qx "From: Bob Martin <bob@acme.example>" && printf "%s\n" "$1" | grep -qx "Subject: \[ACME-12\] Website relaunch kickoff"' - "$txt"
check_eq 'show --format=files' "$(mc show --format=files "$id")" "$CORPUS/maildir/INBOX/cur/1707123600.M101P2001.studio:2,S"
check_exit 'an unknown id exits 1' 1 mc show 99999
check_exit 'a malformed id exits 2' 2 mc show abc
att=$(mc show glimmervane 2>/dev/null; mc show "$(mc search --format=json glimmervane | jq .[0].id)")
check 'text: attachments are listed with type and size' sh -c 'printf "%s\n" "$1" | grep -q "\[2\] budget.csv (text/csv, 76 bytes)"' - "$att"
check_eq 'search text output: one line per message plus its snippet' "$(mc search zorbleflux | wc -l)" 2
