"""diplograph.ontology"""
