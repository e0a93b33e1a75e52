#!/usr/bin/env python3
"""A discarding SMTP server for benchmarks: answers every command with success and drops the messages.

Stands in for the external SMTP relay a deployment uses, so a benchmark of the recovery path does not measure
`tinko up`'s embedded mail sink (which stores every message). Usage: smtp-sink.py PORT
"""
import asyncio
import sys

count = 0


async def session(reader, writer):
    global count
    writer.write(b"220 sink ESMTP\r\n")
    await writer.drain()
    in_data = False
    while True:
        line = await reader.readline()
        if not line:
            break
        if in_data:
            if line in (b".\r\n", b".\n"):
                in_data = False
                count += 1
                writer.write(b"250 queued\r\n")
        else:
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                writer.write(b"250-sink\r\n250-PIPELINING\r\n250 8BITMIME\r\n")
            elif verb == b"DATA":
                in_data = True
                writer.write(b"354 go ahead\r\n")
            elif verb == b"QUIT":
                writer.write(b"221 bye\r\n")
                await writer.drain()
                break
            else:
                writer.write(b"250 ok\r\n")
        await writer.drain()
    writer.close()


async def main(port):
    server = await asyncio.start_server(session, "127.0.0.1", port)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
