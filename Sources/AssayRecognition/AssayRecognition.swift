// AssayRecognition — Credit recognition: the rubric's recognition rules evaluated on outcomes and evidence, decisions with reasons.
