/**
 * The built-in configuration, used when no queues.yaml is given: YuniKorn's own default, word for
 * word. config/queues.yaml ships the same configuration with comments (a test keeps them equal).
 */
export const DEFAULT_QUEUES_YAML = `
partitions:
  - name: default
    placementrules:
      - name: tag
        value: namespace
        create: true
    queues:
      - name: root
        submitacl: '*'
`;
