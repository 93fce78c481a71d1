using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PeatMesh.Automerge.Json;
using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.Tests.Support;

namespace PeatMesh.Automerge.Tests.Json;

public class AutomergeJsonTests
{
    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static Change? Update(AutomergeDocument doc, string json) =>
        doc.Change(tx => AutomergeJson.Update(tx, ObjId.Root, Parse(json)));

    private static Change? Patch(AutomergeDocument doc, string json) =>
        doc.Change(tx => AutomergeJson.MergePatch(tx, ObjId.Root, Parse(json)));

    [Fact]
    public void ToJsonNode_AllValueKinds_MapLikeReference()
    {
        var doc = Docs.New(Actors.A);
        doc.Change(tx =>
        {
            tx.Put(ObjId.Root, "str", ScalarValue.Str("s"));
            tx.Put(ObjId.Root, "int", ScalarValue.Int(-4));
            tx.Put(ObjId.Root, "uint", ScalarValue.Uint(ulong.MaxValue));
            tx.Put(ObjId.Root, "f64", ScalarValue.F64(3.25));
            tx.Put(ObjId.Root, "nan", ScalarValue.F64(double.NaN));
            tx.Put(ObjId.Root, "bool", ScalarValue.Boolean(false));
            tx.Put(ObjId.Root, "null", ScalarValue.Null);
            tx.Put(ObjId.Root, "bytes", ScalarValue.Bytes([1, 2]));
            tx.Put(ObjId.Root, "ts", ScalarValue.Timestamp(1_700_000_000_123));
            tx.Put(ObjId.Root, "counter", ScalarValue.Counter(5));
            var text = tx.PutObject(ObjId.Root, "text", ObjType.Text);
            tx.SpliceText(text, 0, 0, "hi 😀");
            var list = tx.PutObject(ObjId.Root, "list", ObjType.List);
            tx.Insert(list, 0, ScalarValue.Int(1));
            var inner = tx.InsertObject(list, 1, ObjType.Map);
            tx.Put(inner, "k", ScalarValue.Str("v"));
        });
        doc.Change(tx => tx.Increment(ObjId.Root, "counter", 2));

        var json = AutomergeJson.ToJsonNode(doc);

        var expected = JsonNode.Parse(
            """{"bool":false,"bytes":null,"counter":7,"f64":3.25,"int":-4,"list":[1,{"k":"v"}],"nan":null,"null":null,"str":"s","text":"hi 😀","ts":1700000000123,"uint":18446744073709551615}""");
        Assert.True(JsonNode.DeepEquals(expected, json), json.ToJsonString());
        Assert.Equal(expected!.AsObject().Select(p => p.Key), json.Select(p => p.Key));
    }

    [Fact]
    public void WriteJson_SameAsToJsonNode()
    {
        var doc = Docs.New(Actors.A);
        Update(doc, """{"a":{"b":[1,2.5,"x",true,null,{"c":[]}]},"d":"e"}""");
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            AutomergeJson.WriteJson(doc, writer);
        }

        Assert.Equal(AutomergeJson.ToJsonNode(doc).ToJsonString(), Encoding.UTF8.GetString(stream.ToArray()));
        Assert.Equal("""{"a":{"b":[1,2.5,"x",true,null,{"c":[]}]},"d":"e"}""", Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void Update_Types_FollowReferenceJsonToAutomerge()
    {
        var doc = Docs.New(Actors.A);

        Update(doc, """{"s":"text","i":42,"big":18446744073709551615,"neg":-9223372036854775808,"f":1.5,"whole":1.0,"e":1e3,"b":true,"n":null,"o":{},"l":[]}""");

        Assert.Equal(ScalarValue.Str("text"), doc.Get(ObjId.Root, "s")!.Value.Scalar);
        Assert.Equal(ScalarValue.Int(42), doc.Get(ObjId.Root, "i")!.Value.Scalar);
        Assert.Equal(ScalarValue.Uint(ulong.MaxValue), doc.Get(ObjId.Root, "big")!.Value.Scalar);
        Assert.Equal(ScalarValue.Int(long.MinValue), doc.Get(ObjId.Root, "neg")!.Value.Scalar);
        Assert.Equal(ScalarValue.F64(1.5), doc.Get(ObjId.Root, "f")!.Value.Scalar);
        Assert.Equal(ScalarValue.F64(1.0), doc.Get(ObjId.Root, "whole")!.Value.Scalar);
        Assert.Equal(ScalarValue.F64(1000), doc.Get(ObjId.Root, "e")!.Value.Scalar);
        Assert.Equal(ScalarValue.Boolean(true), doc.Get(ObjId.Root, "b")!.Value.Scalar);
        Assert.Equal(ScalarValue.Null, doc.Get(ObjId.Root, "n")!.Value.Scalar);
        Assert.Equal(ObjType.Map, doc.Get(ObjId.Root, "o")!.Value.ObjectType);
        Assert.Equal(ObjType.List, doc.Get(ObjId.Root, "l")!.Value.ObjectType);
    }

    [Fact]
    public void Update_SameJsonTwice_SecondMakesNoOps()
    {
        var doc = Docs.New(Actors.A);
        const string json = """{"a":1,"b":{"c":[1,{"d":"x"}],"e":2.5},"f":null,"g":"s"}""";

        Assert.NotNull(Update(doc, json));
        Assert.Null(Update(doc, json));
        Assert.Null(Update(doc, AutomergeJson.ToJsonNode(doc).ToJsonString()));
    }

    [Fact]
    public void Update_RemovesStaleKeys_AndWritesOnlyChangedValues()
    {
        var doc = Docs.New(Actors.A);
        Update(doc, """{"keep":1,"change":2,"stale":3,"nested":{"x":1,"y":2}}""");

        var change = Update(doc, """{"keep":1,"change":20,"nested":{"x":1,"y":3},"added":true}""")!;

        Assert.Equal("""{"added":true,"change":20,"keep":1,"nested":{"x":1,"y":3}}""", Docs.Json(doc));
        // stale deleted, change overwritten, nested.y overwritten in place, added put; keep and nested.x untouched.
        Assert.Equal(4, change.Ops.Count);
        Assert.Contains(change.Ops, op => op.Action == OpAction.Delete && op.Key == Key.Map("stale"));
        Assert.DoesNotContain(change.Ops, op => op.IsMake);
    }

    [Fact]
    public void Update_ConcurrentEditsOfDifferentNestedFields_Merge()
    {
        var a = Docs.New(Actors.A);
        Update(a, """{"config":{"host":"h","port":1},"name":"n"}""");
        var b = a.Fork(Actors.B);

        Update(a, """{"config":{"host":"h2","port":1},"name":"n"}""");
        Update(b, """{"config":{"host":"h","port":2},"name":"n"}""");
        Docs.MergeBoth(a, b);

        Assert.Equal("""{"config":{"host":"h2","port":2},"name":"n"}""", Docs.Json(a));
        Assert.Equal(Docs.Json(a), Docs.Json(b));
    }

    [Fact]
    public void Update_ArrayContentDiffers_ReplacesList()
    {
        var doc = Docs.New(Actors.A);
        Update(doc, """{"l":[1,2,3]}""");
        var before = doc.Get(ObjId.Root, "l")!.Value.ObjectId;

        Assert.Null(Update(doc, """{"l":[1,2,3]}"""));
        Update(doc, """{"l":[1,2,4]}""");

        Assert.NotEqual(before, doc.Get(ObjId.Root, "l")!.Value.ObjectId);
        Assert.Equal("""{"l":[1,2,4]}""", Docs.Json(doc));
    }

    [Fact]
    public void Update_NumberEqualToExistingCounterOrFloat_IsUnchanged()
    {
        var doc = Docs.New(Actors.A);
        doc.Change(tx =>
        {
            tx.Put(ObjId.Root, "c", ScalarValue.Counter(3));
            tx.Put(ObjId.Root, "f", ScalarValue.F64(2.0));
            tx.Put(ObjId.Root, "u", ScalarValue.Uint(7));
        });

        Assert.Null(Update(doc, """{"c":3,"f":2,"u":7}"""));
        Assert.Equal(ScalarValue.Counter(3), doc.Get(ObjId.Root, "c")!.Value.Scalar);
    }

    [Fact]
    public void MergePatch_Rfc7396Semantics()
    {
        var doc = Docs.New(Actors.A);
        Update(doc, """{"title":"Goodbye!","author":{"givenName":"John","familyName":"Doe"},"tags":["example","sample"],"content":"This will be unchanged"}""");

        // The example of RFC 7396 §3.
        Patch(doc, """{"title":"Hello!","phoneNumber":"+01-123-456-7890","author":{"familyName":null},"tags":["example"]}""");

        Assert.Equal(
            """{"author":{"givenName":"John"},"content":"This will be unchanged","phoneNumber":"+01-123-456-7890","tags":["example"],"title":"Hello!"}""",
            Docs.Json(doc));
    }

    [Fact]
    public void MergePatch_NewNestedObject_DropsNulls_AndUnchangedMakesNoOps()
    {
        var doc = Docs.New(Actors.A);
        Patch(doc, """{"a":{"b":null,"c":{"d":1,"e":null}}}""");

        Assert.Equal("""{"a":{"c":{"d":1}}}""", Docs.Json(doc));
        Assert.Null(Patch(doc, """{"a":{"c":{"d":1}},"missing":null}"""));
    }

    [Fact]
    public void MergePatch_ReplacesScalarWithObject()
    {
        var doc = Docs.New(Actors.A);
        Update(doc, """{"a":1}""");

        Patch(doc, """{"a":{"b":2}}""");

        Assert.Equal("""{"a":{"b":2}}""", Docs.Json(doc));
    }

    [Fact]
    public void Update_TooDeep_ThrowsAndWritesNothing()
    {
        var doc = Docs.New(Actors.A);
        var deep = new string('[', 70) + new string(']', 70);
        var json = JsonDocument.Parse("{\"a\":" + deep + "}", new JsonDocumentOptions { MaxDepth = 200 }).RootElement;
        var tx = doc.BeginTransaction();

        var e = Assert.Throws<ArgumentException>(() => AutomergeJson.Update(tx, ObjId.Root, json));
        Assert.Contains("64", e.Message);
        Assert.Equal(0, tx.PendingOps);
        tx.Rollback();

        var ok = new string('[', 62) + new string(']', 62);
        Update(doc, "{\"a\":" + ok + "}");
        Assert.Equal("{\"a\":" + ok + "}", Docs.Json(doc));
    }

    [Fact]
    public void Update_NonObjectOrHugeNumber_Throws()
    {
        var doc = Docs.New(Actors.A);
        using var tx = doc.BeginTransaction();

        Assert.Throws<ArgumentException>(() => AutomergeJson.Update(tx, ObjId.Root, Parse("[1]")));
        Assert.Throws<ArgumentException>(() => AutomergeJson.MergePatch(tx, ObjId.Root, Parse("3")));
        Assert.Throws<ArgumentException>(() => AutomergeJson.Update(tx, ObjId.Root, Parse("""{"x":1e400}""")));
        Assert.Equal(0, tx.PendingOps);
    }

    [Fact]
    public void ToJsonNode_DocumentDeeperThanLimit_Throws()
    {
        var doc = Docs.New(Actors.A);
        doc.Change(tx =>
        {
            var obj = ObjId.Root;
            for (var i = 0; i < 70; i++)
            {
                obj = tx.PutObject(obj, "n", ObjType.Map);
            }
        });

        Assert.Throws<InvalidOperationException>(() => AutomergeJson.ToJsonNode(doc));
    }

    [Fact]
    public void ToJsonNode_Conflict_ShowsWinnerOnly()
    {
        var a = Docs.New(Actors.A);
        var b = Docs.New(Actors.B);
        Update(a, """{"k":"a"}""");
        Update(b, """{"k":"b"}""");
        Docs.MergeBoth(a, b);

        Assert.Equal("""{"k":"b"}""", Docs.Json(a));
        Assert.Equal(2, a.GetAll(ObjId.Root, "k").Count);
    }
}
