/**
 * Programs that run on ordinary, uncompromised machines. A rule whose indicator is only the
 * name of one of them (`Image endswith '\diskshadow.exe'`, `ParentImage endswith
 * '\teamviewer_service.exe'`) fires wherever the program is used as intended, however long the
 * name is; the noise score counts such a name as a common one (NOISE_PARAMS.commonName).
 *
 * Written from what ships with the systems and products, not from the rules being scored:
 * - the executables of a Windows 10/11 installation (C:\Windows\System32 and C:\Windows), the
 *   .NET Framework tools, and the binaries the LOLBAS project (lolbas-project.github.io) lists;
 * - Microsoft Office, browsers, developer and shell tools, the Sysinternals suite;
 * - remote-monitoring and remote-access products (the LOLRMM catalogue, lolrmm.io) and common
 *   file-transfer and archive tools.
 * Names are lower-case, without the extension (.exe / .com are stripped before lookup).
 */
const WINDOWS = `agentactivationruntimestarter alg appidpolicyconverter at atbroker attrib auditpol autochk autoconv autofmt bcdboot bcdedit
bdeunlock bitlockertogo bitlockerwizard bitlockerwizardelev bitsadmin bootcfg cacls calc certreq certutil change charmap chglogon
chgport chgusr chkdsk chkntfs choice cipher cleanmgr cliconfg clip cmd cmdkey cmdl32 cmstp colorcpl comp compact computerdefaults
conhost consent control convert credwiz cscript csrss ctfmon cttune dccw dcomcnfg defrag devicecensus deviceenroller
devicepairingwizard dfrgui dialer diskpart diskperf diskraid diskshadow dism dispdiag djoin dllhost dllhst3g doskey dpapimig
dpiscaling driverquery dsregcmd dwm dwwin dxdiag eudcedit eventcreate eventvwr expand explorer extrac32 fc find findstr finger fltmc
fodhelper fondue fontdrvhost fontview forfiles fsutil ftp fsquirt fxscover getmac gpresult gpscript gpupdate grpconv hdwwiz help hh
hostname icacls ie4uinit ieunatt iexpress infdefaultinstall ipconfig irftp iscsicli iscsicpl isoburn klist ksetup ktmutil label
lodctr logagent logman logoff lpksetup lpremove lsass lsaiso magnify makecab manage-bde mavinject mblctr mdmappinstaller
mdmdiagnosticstool mdsched mmc mobsync mode more mountvol mpnotify mrinfo mrt msconfig msdt msdtc msg mshta msiexec msinfo32 mspaint
msra mstsc mtstocom narrator nbtstat net net1 netcfg netplwiz netsh netstat newdev nltest notepad nslookup ntoskrnl ntprint odbcad32
odbcconf openfiles optionalfeatures osk pathping pcalua pcaui pcwrun perfmon ping pkgmgr pnputil powercfg presentationhost print
printbrm printui proquota psr quickassist quser qwinsta rasautou rasdial raserver rasphone rdpclip rdpinit rdpsa rdpshell recdisc
recover reg regedit regedt32 regini regsvr32 rekeywiz relog replace reset resmon robocopy route rpcping rstrui runas rundll32 runonce
rwinsta sc schtasks sdbinst sdclt sdiagnhost searchfilterhost searchindexer searchprotocolhost secedit sethc setspn setx sfc shrpubw
shutdown sigverif slui smartscreen smss sndvol snippingtool sort splwow64 spoolsv sppsvc stordiag subst svchost sxstrace systeminfo
systempropertiesadvanced systempropertiescomputername systempropertiesperformance systempropertiesprotection systempropertiesremote
systemreset takeown tabcal taskhostw taskkill tasklist taskmgr tcmsetup timeout tpminit tracert tracerpt tscon tsdiscon tskill
tttracer typeperf tzutil unlodctr userinit usoclient utilman verclsid verifier vssadmin vssvc w32tm waitfor wbadmin wbengine wecutil
werfault werfaultsecure wermgr wevtutil wextract where whoami wiaacmgr winlogon winrs winsat wininit wlrmdr wmic wmiprvse wmiadap
wmiapsrv wordpad wowreg32 wpr write wscript wsl wsmprovhost wsqmcons wusa wuauclt xcopy xwizard bash curl tar ssh scp sftp winget wt
powershell pwsh powershell_ise`;
const DOTNET_OFFICE_TOOLS = `csc vbc jsc msbuild installutil regasm regsvcs aspnet_compiler ilasm cvtres dfsvc addinprocess addinprocess32
microsoft.workflow.compiler dotnet winword excel powerpnt outlook msaccess mspub onenote visio teams ms-teams onedrive chrome msedge
firefox iexplore opera brave psexec psexesvc procdump procdump64 procexp procexp64 autoruns sdelete pslist psloggedon psinfo psservice
accesschk sigcheck tcpview handle pskill livekd`;
const REMOTE_ACCESS_AND_TRANSFER = `teamviewer teamviewer_service teamviewer_desktop tv_w32 tv_x64 anydesk screenconnect
screenconnect.clientservice screenconnect.windowsclient connectwisecontrol splashtop srservice srmanager logmein lmiguardian
gotoassist g2ax_start ammyy aa_v3 action1_agent agent1_remote atera ateraagent rustdesk client32 dwrcs dwrcc bomgar-scc rutserv
rfusclient supremo ultraviewer zaservice kaseya agentmon ninjarmmagent pdqdeploy meshagent tvnserver winvnc vncserver radmin
remoting_host parsecd nxserver winscp putty plink filezilla 7z 7za winrar rar`;

const LEGITIMATE_PROGRAMS: ReadonlySet<string> = new Set(
  `${WINDOWS} ${DOTNET_OFFICE_TOOLS} ${REMOTE_ACCESS_AND_TRANSFER}`.split(/\s+/).filter(Boolean),
);

/** True when a file name (`diskshadow.exe`, `mode.com`, `teamviewer_desktop`) is a known legitimate program. */
export function isLegitimateProgram(fileName: string): boolean {
  return LEGITIMATE_PROGRAMS.has(fileName.replace(/\.(exe|com)$/, ''));
}

const SHIPS_WITH_WINDOWS: ReadonlySet<string> = new Set(WINDOWS.split(/\s+/).filter(Boolean));

/**
 * True when a file name is one of the executables a Windows installation ships: every Windows
 * host has it, so how often benign Windows telemetry shows it running says how routine it is.
 */
export function shipsWithWindows(fileName: string): boolean {
  return SHIPS_WITH_WINDOWS.has(fileName.replace(/\.(exe|com)$/, ''));
}
