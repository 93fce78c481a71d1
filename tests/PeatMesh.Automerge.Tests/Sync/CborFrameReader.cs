using System.Buffers.Binary;
using System.Text;

namespace PeatMesh.Automerge.Tests.Sync;

/// <summary>
/// A minimal CBOR reader for the recorded automerge-repo frames (test helper only): maps with text keys,
/// unsigned/negative integers, byte and text strings, arrays, simple values. Lax about non-minimal lengths
/// (cbor-x writes 16-bit map headers).
/// </summary>
internal static class CborFrameReader
{
    public static Dictionary<string, object?> ReadMap(byte[] data)
    {
        var pos = 0;
        var value = ReadItem(data, ref pos);
        Assert.Equal(data.Length, pos);
        return Assert.IsType<Dictionary<string, object?>>(value);
    }

    private static object? ReadItem(byte[] data, ref int pos)
    {
        var initial = data[pos++];
        var major = initial >> 5;
        var argument = ReadArgument(data, ref pos, initial & 0x1f);
        switch (major)
        {
            case 0:
                return argument;
            case 1:
                return -1 - (long)argument;
            case 2:
                {
                    var bytes = data.AsSpan(pos, checked((int)argument)).ToArray();
                    pos += bytes.Length;
                    return bytes;
                }

            case 3:
                {
                    var text = Encoding.UTF8.GetString(data, pos, checked((int)argument));
                    pos += checked((int)argument);
                    return text;
                }

            case 4:
                {
                    var list = new List<object?>();
                    for (ulong i = 0; i < argument; i++)
                    {
                        list.Add(ReadItem(data, ref pos));
                    }

                    return list;
                }

            case 5:
                {
                    var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                    for (ulong i = 0; i < argument; i++)
                    {
                        var key = Assert.IsType<string>(ReadItem(data, ref pos));
                        map[key] = ReadItem(data, ref pos);
                    }

                    return map;
                }

            case 7:
                return argument switch
                {
                    20 => false,
                    21 => true,
                    _ => null,
                };
            default:
                throw new InvalidDataException("Unsupported CBOR major type " + major);
        }
    }

    private static ulong ReadArgument(byte[] data, ref int pos, int info)
    {
        ulong value;
        switch (info)
        {
            case < 24:
                return (ulong)info;
            case 24:
                return data[pos++];
            case 25:
                value = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(pos));
                pos += 2;
                return value;
            case 26:
                value = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(pos));
                pos += 4;
                return value;
            case 27:
                value = BinaryPrimitives.ReadUInt64BigEndian(data.AsSpan(pos));
                pos += 8;
                return value;
            default:
                throw new InvalidDataException("Indefinite lengths are not used by the recorded frames.");
        }
    }
}
