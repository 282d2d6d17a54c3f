"""diplograph.graph.datasets"""
