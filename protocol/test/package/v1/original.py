# Writes a package the way the original (Python) Lokole did: tarfile with its
# default PAX format, JSON compact, keys sorted, ensure_ascii; then compresses
# it as a whole. Usage: original.py OUT gz|zst|tar EMAILS.json [USERS.json] [SHARED.json]
import io, json, subprocess, sys, tarfile, time

out, codec, emails_path = sys.argv[1:4]
users_path = sys.argv[4] if len(sys.argv) > 4 and sys.argv[4] != '-' else None
shared_path = sys.argv[5] if len(sys.argv) > 5 else None

def member(tar, name, records):
    data = ''.join(json.dumps(r, separators=(',', ':'), sort_keys=True, ensure_ascii=True) + '\n' for r in records).encode('ascii')
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = time.time()  # a float, as gettarinfo() gives: Python then writes a PAX header
    tar.addfile(info, io.BytesIO(data))

buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode='w') as tar:
    member(tar, 'emails.jsonl', json.load(open(emails_path)))
    if users_path:
        member(tar, 'zzusers.jsonl', json.load(open(users_path)))
    if shared_path:
        member(tar, 'zattachments.jsonl', json.load(open(shared_path)))
raw = buf.getvalue()
if codec == 'gz':
    import gzip
    raw = gzip.compress(raw, compresslevel=9)
elif codec == 'zst':
    # The original server compressed with zstd level 20; the CLI stands in for python-zstandard.
    raw = subprocess.run(['zstd', '-q', '--ultra', '-20', '-c'], input=raw, stdout=subprocess.PIPE, check=True).stdout
open(out, 'wb').write(raw)
