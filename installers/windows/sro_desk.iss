; Inno Setup 6 script for SRO Desk: a per-user install that needs no administrator rights.
;
;   iscc /DAppVersion=1.2.3 /DDistDir=C:\path\to\dist\sro-desk /OC:\path\to\dist installers\windows\sro_desk.iss
;
; installers/build.py runs this with the version from sro_desk.__version__ (the one place it is
; written) and the PyInstaller folder. The result is dist\sro-desk-<version>-windows-x64-setup.exe.
;
; The program goes to %LOCALAPPDATA%\Programs\SRO Desk. The user's data (database, backups,
; attachments) lives in %LOCALAPPDATA%\SRO Desk\SRO Desk, which setup never touches and the
; uninstaller leaves in place: uninstalling removes only the files setup installed.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=x.y.z (installers/build.py does)
#endif
#ifndef AppVersionNumeric
  ; Windows wants four numbers in file properties (1.2.3rc1 -> 1.2.3.0); build.py passes them.
  #define AppVersionNumeric AppVersion
#endif
#ifndef DistDir
  #define DistDir "..\..\dist\sro-desk"
#endif

#define AppName "SRO Desk"
#define AppExe "SRO Desk.exe"

[Setup]
; AppId identifies the program to Windows across versions: never change it.
AppId={{6F0E3C52-8B8B-4B8E-9C53-5D2A4E7B1C31}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
VersionInfoVersion={#AppVersionNumeric}
VersionInfoProductName={#AppName}
; Per user, no UAC prompt: {autopf} is %LOCALAPPDATA%\Programs when running without admin rights.
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputBaseFilename=sro-desk-{#AppVersion}-windows-x64-setup
SetupIconFile=..\..\resources\icons\sro-desk.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
; Close a running SRO Desk before replacing its files (and offer to reopen it afterwards).
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the bundled libraries wholesale, so no file from an older version lingers.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "School safety and security staff program office"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] section on purpose: the uninstaller removes what setup installed and nothing
; else, so the district's database and backups in %LOCALAPPDATA%\SRO Desk survive an uninstall.
