using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PeatMesh.AspNetCore;
using PeatMesh.Hosting;
using PeatMesh.Node;

var config = NodeConfiguration.FromEnvironment(Environment.GetEnvironmentVariables());
if (config.Error is not null)
{
    await Console.Error.WriteLineAsync("peat-mesh-node: " + config.Error);
    return 2;
}

var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args });
builder.Logging.ClearProviders();
builder.Logging.SetMinimumLevel(config.LogLevel);
builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
if (config.JsonLogs)
{
    // One JSON object per line: not indented; exception text is a JSON string (its line breaks escaped). Scopes carry
    // the trace and span ids of the current activity, so log lines join traces.
    builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
    builder.Logging.AddJsonConsole(o =>
    {
        o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        o.UseUtcTimestamp = true;
        o.IncludeScopes = true;
        o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
    });
}
else
{
    builder.Logging.AddSimpleConsole(o =>
    {
        o.SingleLine = true;
        o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        o.UseUtcTimestamp = true;
    });
}

builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.Listen(config.BrokerBindAddress, config.Options.BrokerPort);
    kestrel.Limits.MaxRequestBodySize = Math.Max(config.Options.Sync.MaxDocumentBytes * 2L, 64 * 1024);
    kestrel.AddServerHeader = false;
});
builder.Services.Configure<KestrelServerOptions>(o => o.AllowSynchronousIO = false);
builder.Services.AddPeatMeshNode(config.Options);

var app = builder.Build();
app.UsePeatMeshTelemetry();
app.UseExceptionHandler(errors => errors.Run(context =>
{
    var status = context.Features.Get<IExceptionHandlerFeature>()?.Error is Microsoft.AspNetCore.Http.BadHttpRequestException bad ? bad.StatusCode : 500;
    context.Response.StatusCode = status;
    return context.Response.WriteAsJsonAsync(new { error = status == 500 ? "internal error" : "bad request", status });
}));
app.UseStatusCodePages(context =>
{
    var status = context.HttpContext.Response.StatusCode;
    return context.HttpContext.Response.WriteAsJsonAsync(new { error = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status).ToLowerInvariant(), status });
});
app.UseWebSockets();
app.MapPeatMeshBroker();
app.MapPeatMeshMetrics();

var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("PeatMesh.Node");
var effectiveConfiguration = config.Describe();
NodeLog.Starting(logger, MeshNode.Version, effectiveConfiguration);
var tracing = NodeTracing.Start(config);
try
{
    await app.RunAsync();
}
catch (IOException e)
{
    NodeLog.ListenFailed(logger, config.Options.BrokerPort, e.Message);
    return 1;
}
finally
{
    NodeTracing.Stop(tracing);
}

return Environment.ExitCode;
