#!/bin/sh
# Stands in for dmenu in dunst's context menu, so tests can choose a notification action.
# dunst writes one line per action on stdin, such as "#Snooze 5 min (Summary) [12,snooze]".
# We print the first line containing the text the test wrote to $DESKTOP_RUNDIR/pick.txt;
# printing nothing dismisses the menu. Every offered line is kept in dmenu-input.log.
run_dir=${DESKTOP_RUNDIR:?DESKTOP_RUNDIR is not set}
pick=$(cat "$run_dir/pick.txt" 2>/dev/null)
if [ -z "$pick" ]; then
    cat >> "$run_dir/dmenu-input.log"
    exit 0
fi
tee -a "$run_dir/dmenu-input.log" | grep -m1 -F -- "$pick"
