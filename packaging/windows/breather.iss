; Inno Setup 6: a per-user installer (no administrator rights) for the PyInstaller bundle.
;
;   pyinstaller --noconfirm --clean packaging\pyinstaller\breather.spec   (makes dist\breather)
;   iscc packaging\windows\breather.iss                                  (makes dist\Breather-<version>-setup.exe)
;
; The version is read back from breather.exe, which the spec stamps with breather.__version__.
; Not built in CI (Linux); tests/packaging checks that its id, names and paths match the rest.

#define AppId "io.github.breather.Breather"
#define AppName "Breather"
#define AppExe "breather.exe"
#define Bundle AddBackslash(SourcePath) + "..\..\dist\breather"
#ifndef AppVersion
  #define AppVersion GetStringFileInfo(Bundle + "\" + AppExe, "ProductVersion")
#endif

[Setup]
AppId={#AppId}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=The Breather developers
AppPublisherURL=https://github.com/breather/breather
AppSupportURL=https://github.com/breather/breather/issues
DefaultDirName={autopf}\{#AppName}
DisableProgramGroupPage=yes
; Per user: installs into %LOCALAPPDATA%\Programs, autostart is the person's own choice.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=Breather-{#AppVersion}-setup
; Drawn from resources\icons\breather.svg by the spec (packaging\icons.py).
SetupIconFile=..\..\build\breather\breather.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; A running Breather holds its files open: ask it to close before replacing them.
CloseApplications=yes

[Tasks]
Name: "autostart"; Description: "Start {#AppName} when I log in"; Flags: unchecked

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "See where your screen time goes and take kind breaks"

[Registry]
; The same value `breather autostart on` writes (HKCU Run, named Breather), so the app's
; Settings and `breather autostart status` see the installer's choice and can undo it.
Root: HKCU; Subkey: "Software\Microsoft\Windows\CurrentVersion\Run"; ValueType: string; ValueName: "{#AppName}"; ValueData: """{app}\{#AppExe}"""; Tasks: autostart; Flags: uninsdeletevalue

[UninstallRun]
; Also undo an autostart the app itself turned on later (and Task Manager's note about it).
Filename: "{app}\breather-cli.exe"; Parameters: "autostart off"; Flags: runhidden; RunOnceId: "AutostartOff"

[Run]
Filename: "{app}\{#AppExe}"; Description: "Start {#AppName} now"; Flags: nowait postinstall skipifsilent
