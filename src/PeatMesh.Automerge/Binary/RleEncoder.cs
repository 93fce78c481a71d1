namespace PeatMesh.Automerge.Binary;

/// <summary>
/// The canonical run-length encoder (Automerge binary format §2.6, byte-exact with Automerge's <c>RleEncoder</c>):
/// records <c>sLEB n &gt; 0, value</c> (run), <c>sLEB −n, v1..vn</c> (literal), <c>0, uLEB n</c> (nulls).
/// </summary>
/// <remarks>
/// State machine: Empty →v LoneVal(v); LoneVal(a) →a Run(a,2), →b Literal([a], last b); Run(a,n) →a Run(a,n+1),
/// →b flush run, LoneVal(b); Literal(L,last) →last flush L, Run(last,2), →y L+last, last y; a value after nulls
/// flushes the null run; a null after a value state flushes it. Finish: nulls only → nothing; nulls → <c>0 n</c>;
/// LoneVal → <c>−1 v</c>; Run → <c>n v</c>; Literal → one literal of L and last. Not thread-safe.
/// </remarks>
internal sealed class RleEncoder<T, TCodec>
    where T : notnull
    where TCodec : IColumnValueCodec<T>
{
    private readonly ByteWriter _output = new(16);
    // The pending literal run: an array and a count rather than a List<T>, so that ReadyToRun precompiles this code for
    // the value-type instantiations too (a framework generic over them would run as tier-0 JIT code).
    private T[] _literal = new T[16];
    private int _literalCount;
    private State _state;
    private T _value = default!;
    private long _count;

    private enum State
    {
        Empty,
        InitialNullRun,
        NullRun,
        LoneValue,
        Run,
        Literal,
    }

    /// <summary>Appends a value.</summary>
    public void Append(T value)
    {
        switch (_state)
        {
            case State.Empty:
                SetLone(value);
                break;
            case State.LoneValue:
                if (AreEqual(_value, value))
                {
                    _state = State.Run;
                    _count = 2;
                }
                else
                {
                    _literalCount = 0;
                    AddLiteral(_value);
                    _value = value;
                    _state = State.Literal;
                }

                break;
            case State.Run:
                if (AreEqual(_value, value))
                {
                    _count++;
                }
                else
                {
                    FlushRun();
                    SetLone(value);
                }

                break;
            case State.Literal:
                if (AreEqual(_value, value))
                {
                    FlushLiteral(includeLast: false);
                    _state = State.Run;
                    _count = 2;
                }
                else
                {
                    AddLiteral(_value);
                    _value = value;
                }

                break;
            default:
                FlushNulls();
                SetLone(value);
                break;
        }
    }

    /// <summary>Appends a null.</summary>
    public void AppendNull()
    {
        switch (_state)
        {
            case State.Empty:
                _state = State.InitialNullRun;
                _count = 1;
                return;
            case State.InitialNullRun or State.NullRun:
                _count++;
                return;
            case State.LoneValue:
                _literalCount = 0;
                FlushLiteral(includeLast: true);
                break;
            case State.Run:
                FlushRun();
                break;
            case State.Literal:
                FlushLiteral(includeLast: true);
                break;
        }

        _state = State.NullRun;
        _count = 1;
    }

    /// <summary>Appends <paramref name="count"/> (at least 1) copies of a value, exactly as that many <see cref="Append"/> calls would.</summary>
    public void AppendRun(T value, long count)
    {
        Append(value);
        if (count <= 1)
        {
            return;
        }

        switch (_state)
        {
            case State.Run:
                _count += count - 1;
                break;
            case State.LoneValue:
                _state = State.Run;
                _count = count;
                break;
            default: // a literal whose last value is this one: the run takes it over
                FlushLiteral(includeLast: false);
                _state = State.Run;
                _count = count;
                break;
        }
    }

    /// <summary>Appends <paramref name="count"/> (at least 1) nulls, exactly as that many <see cref="AppendNull"/> calls would.</summary>
    public void AppendNulls(long count)
    {
        AppendNull();
        _count += count - 1;
    }

    /// <summary>Discards everything appended, keeping the buffers for reuse.</summary>
    public void Reset()
    {
        _output.Clear();
        _literalCount = 0;
        _state = State.Empty;
        _value = default!;
        _count = 0;
    }

    /// <summary>Flushes the pending state and returns the column bytes (empty for an all-null or empty column).</summary>
    /// <remarks>Call once, then <see cref="Reset"/> before appending again; the bytes stay valid until then.</remarks>
    public ReadOnlyMemory<byte> Finish()
    {
        switch (_state)
        {
            case State.NullRun:
                FlushNulls();
                break;
            case State.LoneValue:
                _literalCount = 0;
                FlushLiteral(includeLast: true);
                break;
            case State.Run:
                FlushRun();
                break;
            case State.Literal:
                FlushLiteral(includeLast: true);
                break;
        }

        _state = State.Empty;
        return _output.WrittenMemory;
    }

    private void AddLiteral(T value)
    {
        if (_literalCount == _literal.Length)
        {
            Array.Resize(ref _literal, _literalCount * 2);
        }

        _literal[_literalCount++] = value;
    }

    private void SetLone(T value)
    {
        _state = State.LoneValue;
        _value = value;
    }

    private void FlushRun()
    {
        _output.WriteInt64(_count);
        WriteValue(_output, _value);
    }

    private void FlushNulls()
    {
        _output.WriteInt64(0);
        _output.WriteUInt64((ulong)_count);
    }

    private void FlushLiteral(bool includeLast)
    {
        var n = _literalCount + (includeLast ? 1 : 0);
        _output.WriteInt64(-n);
        for (var i = 0; i < _literalCount; i++)
        {
            WriteValue(_output, _literal[i]);
        }

        if (includeLast)
        {
            WriteValue(_output, _value);
        }

        _literalCount = 0;
    }

    // The codec's calls, direct for string columns: see RleDecoder.ReadValue (ReadyToRun cannot precompile a constrained
    // static-abstract call in shared generic code).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static bool AreEqual(T left, T right) =>
        typeof(TCodec) == typeof(StringCodec) ? StringCodec.AreEqual((string)(object)left!, (string)(object)right!) : TCodec.AreEqual(left, right);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static void WriteValue(ByteWriter output, T value)
    {
        if (typeof(TCodec) == typeof(StringCodec))
        {
            StringCodec.Write(output, (string)(object)value!);
        }
        else
        {
            TCodec.Write(output, value);
        }
    }
}
