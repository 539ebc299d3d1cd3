/**
 * Process lineage. Programs that open documents, render web pages or serve requests, and a few
 * system processes, start shells, script hosts and system tools only when something makes them
 * (a macro, an exploit, a web shell, an injected thread). Each name is common alone (winword.exe
 * and cmd.exe run all day), but the pair is rare: a rule that pins such a parent *and* such a
 * child is more specific than the two names are apart.
 *
 * Written from what these programs do, not from the scored rules. Left out on purpose: parents
 * that legitimately start shells all the time (explorer.exe, services.exe, svchost.exe,
 * wscript/cscript running logon scripts, msiexec custom actions, WmiPrvSE under configuration
 * management, java/node build tools, terminals), and children every program starts
 * (conhost.exe, werfault.exe).
 */

/** Parents that do not start shells or system tools in normal operation. */
const QUIET_PARENTS = new Set([
  // Office and document readers: a child shell means a macro, an embedded object or an exploit.
  'winword.exe',
  'excel.exe',
  'powerpnt.exe',
  'outlook.exe',
  'onenote.exe',
  'onenotem.exe',
  'msaccess.exe',
  'mspub.exe',
  'visio.exe',
  'eqnedt32.exe',
  'wordpad.exe',
  'acrord32.exe',
  'acrobat.exe',
  'foxitreader.exe',
  'foxitpdfreader.exe',
  'sumatrapdf.exe',
  // Browsers and mail clients: a child shell means an exploit or a malicious download run in place.
  'chrome.exe',
  'msedge.exe',
  'firefox.exe',
  'iexplore.exe',
  'brave.exe',
  'opera.exe',
  'thunderbird.exe',
  // Web, mail and database servers: a child shell is the signature of a web shell or an injection.
  'w3wp.exe',
  'httpd.exe',
  'httpd',
  'apache2',
  'nginx.exe',
  'nginx',
  'php-cgi.exe',
  'php-fpm',
  'tomcat.exe',
  'tomcat7.exe',
  'tomcat8.exe',
  'tomcat9.exe',
  'sqlservr.exe',
  'postgres.exe',
  'postgres',
  'mysqld.exe',
  'mysqld',
  'umworkerprocess.exe',
  'umservice.exe',
  'edgetransport.exe',
  'dns.exe',
  // System processes with a fixed set of children.
  'lsass.exe',
  'spoolsv.exe',
  'winlogon.exe',
  'wininit.exe',
  'smss.exe',
  'csrss.exe',
  'searchindexer.exe',
  'searchprotocolhost.exe',
  // Proxy-execution binaries that run a document or a script, not other programs.
  'mshta.exe',
  'regsvr32.exe',
  'hh.exe',
  'scrcons.exe',
]);

/** Shells, script hosts and the system tools an intruder runs next. */
const SPAWNED_TOOLS = new Set([
  'cmd.exe',
  'powershell.exe',
  'pwsh.exe',
  'powershell_ise.exe',
  'wscript.exe',
  'cscript.exe',
  'mshta.exe',
  'rundll32.exe',
  'regsvr32.exe',
  'msiexec.exe',
  'bitsadmin.exe',
  'certutil.exe',
  'schtasks.exe',
  'wmic.exe',
  'net.exe',
  'net1.exe',
  'whoami.exe',
  'reg.exe',
  'sc.exe',
  'systeminfo.exe',
  'ipconfig.exe',
  'nltest.exe',
  'tasklist.exe',
  'quser.exe',
  'query.exe',
  'ping.exe',
  'nslookup.exe',
  'cmstp.exe',
  'forfiles.exe',
  'msbuild.exe',
  'installutil.exe',
  'regasm.exe',
  'regsvcs.exe',
  'hh.exe',
  'control.exe',
  'odbcconf.exe',
  'ieexec.exe',
  'pcalua.exe',
  'scriptrunner.exe',
  'msdt.exe',
  'ftp.exe',
  'verclsid.exe',
  'bash.exe',
  'wsl.exe',
  'sh.exe',
  'wt.exe',
  'curl.exe',
  'certreq.exe',
  'netstat.exe',
  'netsh.exe',
  'arp.exe',
  'route.exe',
  'nbtstat.exe',
  'dsquery.exe',
  'cmdkey.exe',
  'vssadmin.exe',
  'wevtutil.exe',
  'bcdedit.exe',
  'fsutil.exe',
  'esentutl.exe',
  // Started only by their own launchers (services.exe, the DCOM launcher): under any other parent,
  // a copy or a masquerade.
  'svchost.exe',
  'dllhost.exe',
  'bash',
  'sh',
  'dash',
  'zsh',
  'ksh',
  'python',
  'python2',
  'python3',
  'perl',
  'ruby',
  'curl',
  'wget',
  'nc',
  'ncat',
  'netcat',
  'id',
  'uname',
  'whoami',
  'hostname',
  'ifconfig',
]);

export type LineageRole = 'parent' | 'child';

/** The file name a value pins: `endswith '\\name'` or `'/name'`, or equality with a path or a bare name. */
function pinnedName(op: string, value: string): string | undefined {
  if (op !== 'endswith' && op !== 'eq') return undefined;
  const sep = Math.max(value.lastIndexOf('\\'), value.lastIndexOf('/'));
  if (sep < 0) return op === 'eq' ? value : undefined; // a bare suffix may be the tail of a longer name
  return value.slice(sep + 1);
}

/**
 * The part a (canonical field, operator, lower-cased value) indicator plays in a process lineage,
 * if any: a quiet parent on ParentImage, a spawned tool on Image or OriginalFileName.
 */
export function lineageRole(field: string, op: string, value: string): LineageRole | undefined {
  const f = field.toLowerCase();
  if (f !== 'parentimage' && f !== 'image' && f !== 'originalfilename') return undefined;
  const name = pinnedName(op, value);
  if (name === undefined) return undefined;
  if (f === 'parentimage') return QUIET_PARENTS.has(name) ? 'parent' : undefined;
  return SPAWNED_TOOLS.has(name) ? 'child' : undefined;
}
