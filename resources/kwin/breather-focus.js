// Breather's KWin script: tells Breather which window is active, when it is loaded and on
// every activation, title change and fullscreen change of the active window.
// Breather fills in the @NAMES@ below, loads it over D-Bus (org.kde.kwin.Scripting) and
// unloads it when it stops. One script for KWin 5 and KWin 6, which renamed the API.
var SERVICE = "@SERVICE@";
var PATH = "@PATH@";
var INTERFACE = "@INTERFACE@";
var METHOD = "@METHOD@";

// Every value goes as a string, so the call's signature is the same whatever KWin makes of
// numbers and booleans: caption, resourceClass, desktopFileName, resourceName, pid, fullscreen.
function report(w) {
    if (!w) {
        callDBus(SERVICE, PATH, INTERFACE, METHOD, "", "", "", "", "0", "false");
        return;
    }
    callDBus(SERVICE, PATH, INTERFACE, METHOD,
             String(w.caption || ""), String(w.resourceClass || ""),
             String(w.desktopFileName || ""), String(w.resourceName || ""),
             String(w.pid || 0), w.fullScreen ? "true" : "false");
}

var followed = {};
function follow(w) {
    if (!w || followed[w.internalId]) {
        return;
    }
    followed[w.internalId] = true;
    w.captionChanged.connect(function () { if (w.active) report(w); });
    w.fullScreenChanged.connect(function () { if (w.active) report(w); });
}

function activated(w) {
    follow(w);
    report(w);
}

// KWin 6: windowActivated / activeWindow; KWin 5: clientActivated / activeClient.
var kwin6 = workspace.windowActivated !== undefined;
(kwin6 ? workspace.windowActivated : workspace.clientActivated).connect(activated);
// Now, not at the first switch: the window in use when Breather starts counts too.
activated(kwin6 ? workspace.activeWindow : workspace.activeClient);
