# Reads a version 1 package as the original Lokole did and prints its emails as JSON.
import gzip, json, sys, tarfile
with tarfile.open(sys.argv[1], mode='r:gz') as tar:
    names = tar.getnames()
    emails = [json.loads(line) for line in tar.extractfile('emails.jsonl').read().decode('ascii').splitlines()]
    users = [json.loads(line) for line in tar.extractfile('zzusers.jsonl').read().decode('ascii').splitlines()] if 'zzusers.jsonl' in names else []
print(json.dumps({'names': names, 'emails': emails, 'users': users}))
