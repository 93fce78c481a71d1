namespace PeatMesh.Node.Tests.Deployment;

/// <summary>
/// The metric contract is written twice for two readers — docs/deployment.md (operators wiring Prometheus and Grafana)
/// and docs/observability.md (the meaning of every series) — and implemented once, by the node's instruments. These
/// tests keep the three from drifting: same names, same types, same label names.
/// </summary>
public class MetricContractTests
{
    [Fact]
    public void ObservabilityTable_HasTheDeploymentContractsNamesTypesAndLabels()
    {
        var contract = MetricContract.Load();
        var observability = MetricContract.Load("observability.md", "## Metrics");

        Assert.Equal(contract.Metrics.Keys.Order(StringComparer.Ordinal), observability.Metrics.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, (type, labels)) in contract.Metrics)
        {
            var (documentedType, documentedLabels) = observability.Metrics[name];
            Assert.True(type == documentedType, $"{name}: deployment.md says {type}, observability.md says {documentedType}");
            // observability.md's label column also lists label values in backticks; every contract label must be there.
            Assert.True(labels.IsSubsetOf(documentedLabels),
                $"{name}: labels {string.Join(",", labels)} of deployment.md are not all in observability.md ({string.Join(",", documentedLabels)})");
        }
    }
}
