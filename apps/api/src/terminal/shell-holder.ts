// The shell holder that runs inside a node (perl-base is in every Debian image): a dtach-like
// daemon owning the pty and `bash -l`, so the shell outlives the Docker exec that talks to it,
// and with it server restarts. The exec runs the same script as an "attach" relay.
//
// A node may have several shells (the learner's terminal tabs of one host), numbered from 1;
// each has its own holder, socket, id and pid file (shell 1 keeps the original names).
//
// attach (the exec's process): connects to the shell's socket under /run/praxis, starting the
// holder first if none answers; prints `PRAXIS-HOLDER <holder id> <new|existing> <start> <end>`
// on stderr (the holder offsets of the replay it is about to relay); then relays framed input
// from stdin to the holder and raw output from the holder to stdout. Exits when stdin closes (the
// server detached or died) or the holder goes away (the shell ended).
// holder (daemon, own session): pty + bash; keeps the last 64 KiB of output and counts every
// byte of output since the shell started (its offsets). Several relays may attach at once (one
// per API process that has a browser on this shell, at most 16): each gets the line
// `PRAXIS-OFFSET <start> <end>` and the replay of the last 64 KiB (bytes start..end), then the
// same output as every other; input and resizes from any of them reach the shell. It reads the
// pty only while every relay keeps up (bounded buffers, so backpressure reaches the program, and
// the slowest relay sets the pace); it always reads input.
// Newline translation: the kernel's ONLCR (\n -> \r\n) costs one pty write per newline and
// capped floods at ~6 MB/s on this kernel; the holder turns it off in the pty and applies the
// same translation itself where the kernel would have (see docs/terminal.md, "Newline
// translation"). Both the holder and the relay drain what is ready up to their bound before
// writing on, so each hop moves large blocks.
// Frames from the server: type u8, length u16 big-endian, payload. 1 = input, 2 = resize
// (u16 cols, u16 rows). Output is raw bytes.

/** Where the holders live inside a node. */
export const HOLDER_DIR = '/run/praxis';
/** Shells per node a client may open (terminal tabs of one host). */
export const MAX_SHELLS = 4;

/** The socket and pid file of shell `n` (1-based) inside the node. */
export function holderPaths(shell: number): { socket: string; pidFile: string } {
  const suffix = shell > 1 ? `-${shell}` : '';
  return { socket: `${HOLDER_DIR}/terminal${suffix}.sock`, pidFile: `${HOLDER_DIR}/terminal${suffix}.pid` };
}

export const HOLDER_FRAME = { input: 1, resize: 2 } as const;

export function holderFrame(type: number, payload: Uint8Array): Buffer {
  const header = Buffer.alloc(3);
  header.writeUInt8(type, 0);
  header.writeUInt16BE(payload.length, 1);
  return Buffer.concat([header, payload]);
}

export const HOLDER_SCRIPT = String.raw`
use strict; use warnings;
use POSIX ();
use Socket;
use Fcntl;
my ($first_id, $cols, $rows, $shelln) = @ARGV;
$shelln = 1 unless defined $shelln && $shelln =~ /^[0-9]+$/ && $shelln >= 1;
my $dir = '/run/praxis';
my $sfx = $shelln > 1 ? "-$shelln" : '';
my $sock = "$dir/terminal$sfx.sock";
my $idfile = "$dir/terminal$sfx.id";
my $pidfile = "$dir/terminal$sfx.pid";
# Linux's output flags (termios c_oflag): output processing, and \n -> \r\n on output.
my ($OPOST, $ONLCR) = (1, 4);
# ... and the local flag that lets the terminal's keys raise signals (off in full-screen programs).
my $ISIG = 1;
# Output held between the program and the server is what Ctrl-C must wait behind: keep every
# buffer on the way small (our own, the socket's, the pipe's).
my $HIGH = 32768;
mkdir $dir;
$SIG{PIPE} = 'IGNORE';
# What the learner sees in ps instead of this whole script.
$0 = 'praxis-terminal-attach';

sub nonblock { my $fh = shift; my $f = fcntl($fh, F_GETFL, 0); fcntl($fh, F_SETFL, $f | O_NONBLOCK); }
sub winsize { my ($m, $c, $r) = @_; my $ws = pack('S4', $r, $c, 0, 0); ioctl($m, 0x5414, $ws); }
sub try_connect {
  socket(my $s, AF_UNIX, SOCK_STREAM, 0) or die "socket: $!";
  return connect($s, pack_sockaddr_un($sock)) ? $s : undef;
}

sub holder {
  $0 = 'praxis-terminal-holder';
  open STDIN, '<', '/dev/null'; open STDOUT, '>', '/dev/null'; open STDERR, '>', '/dev/null';
  unlink $sock;
  # The id first: the attacher reads it as soon as the socket answers.
  if (open(my $i, '>', $idfile)) { print $i "$first_id\n"; close $i; }
  socket(my $l, AF_UNIX, SOCK_STREAM, 0) or exit 1;
  bind($l, pack_sockaddr_un($sock)) or exit 1;
  listen($l, 4) or exit 1;
  sysopen(my $m, '/dev/ptmx', O_RDWR | O_NOCTTY) or exit 1;
  my $unlock = pack('i', 0);
  ioctl($m, 0x40045431, $unlock) or exit 1;
  my $nbuf = pack('i', 0);
  ioctl($m, 0x80045430, $nbuf) or exit 1;
  my $n = unpack('i', $nbuf);
  winsize($m, $cols, $rows);
  # Termios requests on a pty master act on its slave: turn the kernel's ONLCR off (the holder
  # translates instead, far faster), leaving every other flag as a new terminal has it.
  my $tio = POSIX::Termios->new;
  my ($emulate, $translating) = (0, undef);
  if ($tio->getattr(fileno($m)) && ($tio->getoflag & $ONLCR)) {
    $tio->setoflag($tio->getoflag & ~$ONLCR);
    $emulate = 1 if $tio->setattr(fileno($m), POSIX::TCSANOW());
  }
  my $shell = fork();
  exit 1 unless defined $shell;
  if ($shell == 0) {
    # Ignored signals survive exec: the learner's pipelines need SIGPIPE's default (yes | head).
    $SIG{PIPE} = 'DEFAULT';
    POSIX::setsid();
    close $l;
    sysopen(my $s, "/dev/pts/$n", O_RDWR) or exit 1;
    my $zero = pack('i', 0);
    ioctl($s, 0x540E, $zero);
    open STDIN, '<&', $s; open STDOUT, '>&', $s; open STDERR, '>&', $s;
    close $s; close $m;
    if (open(my $p, '>', $pidfile)) { print $p "$$\n"; close $p; }
    chdir($ENV{HOME} || '/root');
    exec('/bin/bash', '-l') or POSIX::_exit(127);
  }
  nonblock($m);
  # $total: bytes of output since the shell started; the ring holds the last of them.
  my ($ring, $total, $toshell, @clients) = ('', 0, '');
  my $drop = sub { my $cl = shift; close $cl->{fh}; @clients = grep { $_ != $cl } @clients; };
  while (1) {
    my ($rin, $win) = ('', '');
    my $most = 0;
    for my $cl (@clients) { $most = length($cl->{out}) if length($cl->{out}) > $most; }
    vec($rin, fileno($l), 1) = 1;
    vec($rin, fileno($m), 1) = 1 if $most < $HIGH;
    vec($win, fileno($m), 1) = 1 if length $toshell;
    for my $cl (@clients) {
      vec($rin, fileno($cl->{fh}), 1) = 1;
      vec($win, fileno($cl->{fh}), 1) = 1 if length $cl->{out};
    }
    my $k = select($rin, $win, undef, undef);
    next if $k < 0;
    if (vec($rin, fileno($l), 1)) {
      if (accept(my $c, $l)) {
        if (@clients >= 16) { close $c; }
        else {
          nonblock($c); setsockopt($c, SOL_SOCKET, SO_SNDBUF, 32768);
          push @clients, { fh => $c, out => 'PRAXIS-OFFSET ' . ($total - length $ring) . " $total\n" . $ring, in => '' };
        }
      }
    }
    if (vec($rin, fileno($m), 1)) {
      # Drain what the pty holds (it gives at most 4 KiB a read) up to the bound, so the client
      # gets one large write instead of many small ones: fewer wake-ups all the way down.
      my ($data, $eof) = ('', 0);
      while ($most + length($data) < $HIGH) {
        my $r = sysread($m, my $piece, 65536);
        if (defined $r && $r == 0 || !defined $r && $! != POSIX::EAGAIN && $! != POSIX::EINTR) { $eof = 1; last; }
        last unless $r;
        $data .= $piece;
      }
      if (length $data) {
        # Translate where the kernel would have: output processing on, its own ONLCR off (else
        # the kernel does it: less, stty onlcr), and signals on (full-screen programs such as
        # vim and nano turn them off with ONLCR and write bare line feeds on purpose).
        if ($emulate && $tio->getattr(fileno($m))) {
          my $o = $tio->getoflag;
          my $now = (($o & $OPOST) && !($o & $ONLCR) && ($tio->getlflag & $ISIG)) ? 1 : 0;
          $translating = $now unless defined $translating;
          my $cut = -1;
          if ($now != $translating) {
            # The mode changed since the last read. What the shell wrote before running the
            # command that changed it (the echo of Enter, then readline's bracketed-paste-off
            # "\e[?2004l\r") was written under the old mode; everything after, under the new one.
            # Without that marker in this read, the switch came before it: all of it is new (the
            # shell's next prompt starts with "\e[?2004h", which is no boundary).
            my $p = rindex($data, "\e[?2004l");
            $cut = $p < 0 ? 0 : $p + 8;
            $cut++ if $cut > 0 && substr($data, $cut, 1) eq "\r";
          }
          if ($cut < 0) { $data =~ s/\n/\r\n/g if $now; }
          else {
            my ($head, $tail) = (substr($data, 0, $cut), substr($data, $cut));
            $head =~ s/\n/\r\n/g if $translating;
            $tail =~ s/\n/\r\n/g if $now;
            $data = $head . $tail;
          }
          $translating = $now;
        }
        $total += length $data;
        $ring .= $data; $ring = substr($ring, -65536) if length($ring) > 65536;
        $_->{out} .= $data for @clients;
      }
      last if $eof;
    }
    for my $cl (@clients) {
      my $fh = $cl->{fh};
      if (length $cl->{out} && vec($win, fileno($fh), 1)) {
        my $w = syswrite($fh, $cl->{out});
        if (defined $w) { substr($cl->{out}, 0, $w) = ''; }
        elsif ($! != POSIX::EAGAIN && $! != POSIX::EINTR) { $drop->($cl); next; }
      }
      next unless vec($rin, fileno($fh), 1);
      my $r = sysread($fh, my $data, 65536);
      if (!defined $r && ($! == POSIX::EAGAIN || $! == POSIX::EINTR)) { next; }
      if (!$r) { $drop->($cl); next; }
      $cl->{in} .= $data;
      while (length($cl->{in}) >= 3) {
        my ($t, $len) = unpack('C n', $cl->{in});
        last if length($cl->{in}) < 3 + $len;
        my $p = substr($cl->{in}, 3, $len);
        substr($cl->{in}, 0, 3 + $len) = '';
        if ($t == 1) { $toshell .= $p if length($toshell) < 1048576; }
        elsif ($t == 2 && $len == 4) { my ($c, $r2) = unpack('n n', $p); winsize($m, $c, $r2); }
      }
    }
    if (length $toshell && vec($win, fileno($m), 1)) {
      my $w = syswrite($m, $toshell);
      substr($toshell, 0, $w) = '' if defined $w;
    }
  }
  for my $cl (@clients) {
    next unless length $cl->{out};
    my $f = fcntl($cl->{fh}, F_GETFL, 0); fcntl($cl->{fh}, F_SETFL, $f & ~O_NONBLOCK); syswrite($cl->{fh}, $cl->{out});
  }
  unlink $sock; unlink $idfile; unlink $pidfile;
  waitpid($shell, 0);
  exit 0;
}

my $c = try_connect();
my $state = 'existing';
if (!$c) {
  $state = 'new';
  my $pid = fork();
  die "fork: $!" unless defined $pid;
  if ($pid == 0) { POSIX::setsid(); my $p2 = fork(); POSIX::_exit(0) if !defined $p2 || $p2; holder(); POSIX::_exit(0); }
  waitpid($pid, 0);
  for (1 .. 250) { $c = try_connect() and last; select(undef, undef, undef, 0.02); }
}
die "praxis: the terminal holder did not start\n" unless $c;
my $hid = '?';
if (open(my $i, '<', $idfile)) { $hid = <$i> // '?'; chomp $hid; close $i; }
# The holder's first line gives the offsets of the replay that follows. A holder started by an
# older server sends none: after 2 s without it, or on other bytes, say "- -" and relay as is.
my ($first, $span) = ('', '- -');
while (1) {
  my $rin = ''; vec($rin, fileno($c), 1) = 1;
  last unless select($rin, undef, undef, 2) > 0;
  my $r = sysread($c, my $d, 4096);
  last unless $r;
  $first .= $d;
  if ($first =~ s/\APRAXIS-OFFSET (\d+) (\d+)\n//) { $span = "$1 $2"; last; }
  # Still a prefix of the header line? Otherwise this is an older holder's output.
  my $tag = 'PRAXIS-OFFSET ';
  my $n = length($first) < length($tag) ? length($first) : length($tag);
  last if length($first) >= 64 || substr($first, 0, $n) ne substr($tag, 0, $n);
  last if length($first) > length($tag) && substr($first, length $tag) !~ /\A[0-9 ]*\z/;
}
syswrite(STDERR, "PRAXIS-HOLDER $hid $state $span\n");
setsockopt($c, SOL_SOCKET, SO_RCVBUF, 32768);
nonblock(\*STDOUT);
my $pending = $first;
while (1) {
  my ($rin, $win) = ('', '');
  vec($rin, fileno(STDIN), 1) = 1;
  vec($rin, fileno($c), 1) = 1 if length($pending) < $HIGH;
  vec($win, fileno(STDOUT), 1) = 1 if length $pending;
  my $k = select($rin, $win, undef, undef);
  next if $k < 0;
  if (vec($rin, fileno(STDIN), 1)) {
    my $r = sysread(STDIN, my $data, 65536);
    last if defined $r && $r == 0;
    if ($r) { while (length $data) { my $w = syswrite($c, $data); last unless defined $w; substr($data, 0, $w) = ''; } }
  }
  if (vec($rin, fileno($c), 1)) {
    # The same draining from the holder's socket: one large write to the exec's stdout.
    while (length($pending) < $HIGH) {
      my $r = sysread($c, my $data, 65536);
      if (defined $r && $r == 0) {
        my $f = fcntl(STDOUT, F_GETFL, 0); fcntl(STDOUT, F_SETFL, $f & ~O_NONBLOCK);
        syswrite(STDOUT, $pending) if length $pending;
        exit 0;
      }
      last unless $r;
      $pending .= $data;
      # Read again only if more is already there (the socket blocks; input must not wait).
      my $more = ''; vec($more, fileno($c), 1) = 1;
      last unless select($more, undef, undef, 0) > 0;
    }
  }
  if (length $pending && vec($win, fileno(STDOUT), 1)) {
    my $w = syswrite(STDOUT, $pending);
    substr($pending, 0, $w) = '' if defined $w;
  }
}
exit 0;
`;
