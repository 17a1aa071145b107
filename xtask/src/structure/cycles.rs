//! Cycles in a small directed graph of named nodes: its strongly connected components
//! (Tarjan's algorithm) of more than one node, and the simple cycles inside each.

use std::collections::{BTreeMap, BTreeSet};

/// How many simple cycles of one component are listed.
pub(crate) const MAX_CYCLES: usize = 20;

/// A set of nodes each reachable from every other, and its simple cycles.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Tangle {
    /// Its nodes, sorted.
    pub(crate) nodes: Vec<String>,
    /// Its simple cycles (the first node again at the end), at most [`MAX_CYCLES`],
    /// shortest first.
    pub(crate) cycles: Vec<Vec<String>>,
    /// Whether there are more cycles than listed.
    pub(crate) more: bool,
}

/// The tangles of the graph of `edges` (pairs `from -> to`), sorted by their nodes.
pub(crate) fn tangles<'a>(edges: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<Tangle> {
    let mut graph: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (from, to) in edges {
        graph.entry(from).or_default().insert(to);
        graph.entry(to).or_default();
    }
    let mut out: Vec<Tangle> = components(&graph)
        .into_iter()
        .filter(|c| c.len() > 1)
        .map(|nodes| {
            let (cycles, more) = simple_cycles(&graph, &nodes);
            Tangle {
                nodes: nodes.iter().map(|n| (*n).to_owned()).collect(),
                cycles,
                more,
            }
        })
        .collect();
    out.sort_by(|a, b| a.nodes.cmp(&b.nodes));
    out
}

/// Tarjan's state: the order each node was reached, the lowest order it reaches, the stack.
#[derive(Default)]
struct Tarjan<'a> {
    /// When each node was first reached.
    index: BTreeMap<&'a str, usize>,
    /// The lowest index reachable from each node through the stack.
    low: BTreeMap<&'a str, usize>,
    /// Nodes of components not yet complete.
    stack: Vec<&'a str>,
    /// Complete components.
    done: Vec<BTreeSet<&'a str>>,
}

/// The strongly connected components of `graph`.
fn components<'a>(graph: &BTreeMap<&'a str, BTreeSet<&'a str>>) -> Vec<BTreeSet<&'a str>> {
    let mut state = Tarjan::default();
    for &node in graph.keys() {
        if !state.index.contains_key(node) {
            connect(graph, node, &mut state);
        }
    }
    state.done
}

/// Tarjan's visit of `node` (recursive: module graphs are shallow).
fn connect<'a>(graph: &BTreeMap<&'a str, BTreeSet<&'a str>>, node: &'a str, s: &mut Tarjan<'a>) {
    let order = s.index.len();
    s.index.insert(node, order);
    s.low.insert(node, order);
    s.stack.push(node);
    for &next in &graph[node] {
        if !s.index.contains_key(next) {
            connect(graph, next, s);
            let low = s.low[node].min(s.low[next]);
            s.low.insert(node, low);
        } else if s.stack.contains(&next) {
            let low = s.low[node].min(s.index[next]);
            s.low.insert(node, low);
        }
    }
    if s.low[node] == s.index[node] {
        let mut component = BTreeSet::new();
        while let Some(top) = s.stack.pop() {
            component.insert(top);
            if top == node {
                break;
            }
        }
        s.done.push(component);
    }
}

/// The simple cycles inside `nodes`, each starting at its smallest node, shortest first;
/// and whether there were more than [`MAX_CYCLES`].
fn simple_cycles(
    graph: &BTreeMap<&str, BTreeSet<&str>>,
    nodes: &BTreeSet<&str>,
) -> (Vec<Vec<String>>, bool) {
    let mut cycles = Vec::new();
    for &start in nodes {
        let mut path = vec![start];
        // Only nodes after `start` may follow it, so each cycle is found once.
        extend(graph, nodes, start, &mut path, &mut cycles);
    }
    cycles.sort_by(|a: &Vec<String>, b| a.len().cmp(&b.len()).then(a.cmp(b)));
    let more = cycles.len() > MAX_CYCLES;
    cycles.truncate(MAX_CYCLES);
    (cycles, more)
}

/// Extends `path` (from `start`) by every node after `start`, recording cycles back to it.
fn extend<'a>(
    graph: &BTreeMap<&'a str, BTreeSet<&'a str>>,
    nodes: &BTreeSet<&'a str>,
    start: &'a str,
    path: &mut Vec<&'a str>,
    cycles: &mut Vec<Vec<String>>,
) {
    if cycles.len() > MAX_CYCLES * 50 {
        return; // enough to say there are more
    }
    let last = path[path.len() - 1];
    for &next in &graph[last] {
        if next == start {
            let mut cycle: Vec<String> = path.iter().map(|n| (*n).to_owned()).collect();
            cycle.push(start.to_owned());
            cycles.push(cycle);
        } else if next > start && nodes.contains(next) && !path.contains(&next) {
            path.push(next);
            extend(graph, nodes, start, path, cycles);
            path.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cycles of each tangle, written `a>b>a`.
    fn written(edges: &[(&str, &str)]) -> Vec<Vec<String>> {
        tangles(edges.iter().copied())
            .into_iter()
            .map(|t| t.cycles.iter().map(|c| c.join(">")).collect())
            .collect()
    }

    #[test]
    fn a_chain_has_no_cycle() {
        assert!(written(&[("a", "b"), ("b", "c"), ("a", "c")]).is_empty());
    }

    #[test]
    fn two_nodes_pointing_at_each_other_are_one_cycle() {
        assert_eq!(written(&[("a", "b"), ("b", "a")]), vec![vec!["a>b>a"]]);
    }

    #[test]
    fn every_simple_cycle_of_a_tangle_is_listed_shortest_first() {
        let edges = [("a", "b"), ("b", "c"), ("c", "a"), ("b", "a"), ("x", "y")];
        assert_eq!(written(&edges), vec![vec!["a>b>a", "a>b>c>a"]]);
    }

    #[test]
    fn separate_tangles_are_reported_apart() {
        let edges = [("a", "b"), ("b", "a"), ("c", "d"), ("d", "c"), ("b", "c")];
        assert_eq!(written(&edges), vec![vec!["a>b>a"], vec!["c>d>c"]]);
    }
}
